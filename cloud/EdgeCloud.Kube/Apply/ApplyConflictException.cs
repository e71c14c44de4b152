namespace EdgeCloud.Kube.Apply;

/// <summary>
/// An apply that would change fields other managers own, without force. The API answers 409 Conflict with
/// <see cref="Exception.Message"/> as the Status message and one cause per conflict
/// (reason <see cref="ApplyConflict.Reason"/>, message <see cref="ApplyConflict.Message"/>, field <see cref="ApplyConflict.Field"/>).
/// </summary>
public sealed class ApplyConflictException : Exception
{
    /// <summary>An exception for <paramref name="conflicts"/>, with upstream's message.</summary>
    public ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts)
        : base(MessageFor(conflicts))
    {
        Conflicts = conflicts;
    }

    /// <summary>The conflicts, grouped by owner, each owner's fields in sorted order.</summary>
    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    /// <summary>
    /// Upstream's getConflictMessage: one conflict on one line; several listed under each owner, owners sorted.
    /// </summary>
    private static string MessageFor(IReadOnlyList<ApplyConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: {conflicts[0].Message}: {conflicts[0].Field}";
        }

        var lines = new List<string>();
        foreach (var owner in conflicts.GroupBy(conflict => conflict.Owner.Describe()))
        {
            lines.Add($"conflicts with {owner.Key}:");
            lines.AddRange(owner.Select(conflict => "- " + conflict.Field));
        }

        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
