/**
 * What a function may do with a table or bucket.
 */
export enum DataAccess {
  /** Read only. */
  READ = 'READ',
  /** Write only. */
  WRITE = 'WRITE',
  /** Read and write. */
  READ_WRITE = 'READ_WRITE',
}
