namespace EdgeCloud.Store.Maintenance;

/// <summary>A cluster whose history may exceed the retention bounds.</summary>
internal readonly record struct CompactionCandidate(string ClusterId, long Revision, long CompactRevision, long? OldestHistoryMs);
