/// What a process does with the state files it opened before it exits.
public enum StateFiles {
    /// Leaves every SQLite state file this process has open for writing whole in its own file, its write-ahead log
    /// folded in and emptied (`SQLiteDatabase.settleWritable()`). The CLI calls it once its command is done.
    public static func settle() {
        SQLiteDatabase.settleWritable()
    }
}
