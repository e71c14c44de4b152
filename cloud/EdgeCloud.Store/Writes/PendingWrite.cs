namespace EdgeCloud.Store.Writes;

/// <summary>An operation queued for the next batch, and the caller waiting for its outcome.</summary>
internal sealed class PendingWrite(WriteOperation operation)
{
    private readonly TaskCompletionSource<WriteOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteOperation Operation { get; } = operation;

    public Task<WriteOutcome> Outcome => _completion.Task;

    public void Complete(WriteOutcome outcome) => _completion.TrySetResult(outcome);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
