import { Quantity } from '../common/quantity';

/** A volume of the cluster's instances. */
export interface ClusterStorage {
  /**
   * The size of each instance's volume, e.g. `Quantity.gibibytes(80)` or `Quantity.of('80Gi')`.
   *
   * @default - `settings.dataSize` (or `settings.walSize` for WAL); otherwise 10Gi for data and
   * no separate WAL volume
   */
  readonly size?: Quantity;

  /**
   * The StorageClass of the volumes.
   *
   * @default - `settings.storageClass`; otherwise the cluster's default StorageClass
   */
  readonly storageClass?: string;
}
