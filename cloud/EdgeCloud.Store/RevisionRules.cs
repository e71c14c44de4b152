namespace EdgeCloud.Store;

/// <summary>Which revisions a read may ask for, shared by both backends.</summary>
internal static class RevisionRules
{
    /// <summary>
    /// The revision a list reads at: the head when 0 is asked for; otherwise the one asked, which must lie
    /// between the compact mark (history after it is complete) and the head.
    /// </summary>
    public static long ResolveReadRevision(long requested, long head, long compact)
    {
        if (requested == 0)
        {
            return head;
        }

        if (requested > head)
        {
            throw new FutureRevisionException(requested, head);
        }

        if (requested < compact)
        {
            throw new RevisionCompactedException(requested, compact);
        }

        return requested;
    }
}
