"""Object-store chores for backup-validation.test.ts, run with the barman venv's python (boto3).

usage: s3_admin.py create-bucket BUCKET
       s3_admin.py delete-prefix BUCKET PREFIX            (prints how many objects it deleted)
       s3_admin.py list BUCKET PREFIX                     (prints the objects as JSON: key, size, ETag)
       s3_admin.py copy-backup-info BUCKET SRC_KEY DST_KEY STATUS
           copies a real backup.info, changing only its status= line (e.g. to FAILED)
Endpoint and credentials come from S3_ENDPOINT_URL and the standard AWS_* variables.
"""
import json
import os
import re
import sys

import boto3


def main(command, bucket, *args):
    s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"])
    if command == "create-bucket":
        s3.create_bucket(Bucket=bucket)
    elif command == "delete-prefix":
        (prefix,) = args
        deleted = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=item["Key"])
                deleted += 1
        print(deleted)
    elif command == "list":
        (prefix,) = args
        found = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found.append({"key": item["Key"], "size": item["Size"], "etag": item["ETag"]})
        print(json.dumps(sorted(found, key=lambda o: o["key"])))
    elif command == "copy-backup-info":
        src, dst, status = args
        text = s3.get_object(Bucket=bucket, Key=src)["Body"].read().decode()
        text, count = re.subn(r"(?m)^status=.*$", "status=" + status, text)
        assert count == 1, "no status= line in %s" % src
        s3.put_object(Bucket=bucket, Key=dst, Body=text.encode())
    else:
        raise SystemExit("unknown command %r" % command)


if __name__ == "__main__":
    main(*sys.argv[1:])
