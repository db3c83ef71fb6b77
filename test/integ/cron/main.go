// robfig-cron-oracle answers, for each cron expression, what CloudNativePG 1.30 does with it:
// the ScheduledBackup webhook and controller parse schedules with github.com/robfig/cron v1.2.0
// cron.Parse (seconds first, six fields, day-of-week optional, descriptors), and the controller
// asks the schedule for its next activation. test/integ/cron.test.ts compares the library's
// BackupSchedule against these answers.
//
// Input (stdin, JSON): {"from": "<RFC 3339 UTC>", "count": N, "expressions": ["0 0 2 * * *", ...]}
// Output (stdout, JSON): [{"expression", "valid", "error", "fields", "next": ["<RFC 3339>", ...]}]
// "fields" is the number of white-space separated fields (CNPG warns unless it is 6).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron"
)

type request struct {
	From        string   `json:"from"`
	Count       int      `json:"count"`
	Expressions []string `json:"expressions"`
}

type answer struct {
	Expression string   `json:"expression"`
	Valid      bool     `json:"valid"`
	Error      string   `json:"error,omitempty"`
	Fields     int      `json:"fields"`
	Next       []string `json:"next"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "bad request:", err)
		os.Exit(2)
	}
	from, err := time.Parse(time.RFC3339, req.From)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad from:", err)
		os.Exit(2)
	}
	from = from.UTC()
	answers := make([]answer, 0, len(req.Expressions))
	for _, expr := range req.Expressions {
		a := answer{Expression: expr, Fields: len(strings.Fields(expr)), Next: []string{}}
		schedule, err := cron.Parse(expr)
		if err != nil {
			a.Error = err.Error()
		} else {
			a.Valid = true
			t := from
			for i := 0; i < req.Count; i++ {
				t = schedule.Next(t)
				if t.IsZero() {
					break // no activation within five years
				}
				a.Next = append(a.Next, t.UTC().Format(time.RFC3339))
			}
		}
		answers = append(answers, a)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", " ")
	if err := out.Encode(answers); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
