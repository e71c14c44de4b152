namespace EdgeCloud.Controllers.Scheduling;

/// <summary>The status of a node's Ready condition.</summary>
public enum NodeReadyStatus
{
    /// <summary>Unknown, or no Ready condition at all: the node has not been heard from.</summary>
    Unknown,

    /// <summary>The node is ready for pods.</summary>
    True,

    /// <summary>The node reports that it is not ready.</summary>
    False,
}
