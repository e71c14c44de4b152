namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>Turning a <see cref="ContainerLaunch"/> into a command line, working directory, environment and mount links.</summary>
internal sealed partial class ProcessRuntime
{
    /// <summary>Resolves what the process needs; returns why the container cannot start, or null.</summary>
    private static string? Prepare(
        ContainerLaunch launch,
        string podDirectory,
        out IReadOnlyList<string> commandLine,
        out string workingDirectory,
        out IReadOnlyList<ProcessEnvironmentVariable> environment)
    {
        // Without an image, an empty command means args is the whole command line (kubelet would use the image's
        // entrypoint with them; there is none).
        commandLine = [.. launch.Command, .. launch.Args];
        environment = BuildEnvironment(launch.Environment, podDirectory);
        workingDirectory = podDirectory;
        if (commandLine.Count == 0)
        {
            return NoCommandMessage;
        }

        try
        {
            Directory.CreateDirectory(podDirectory);
            if (!string.IsNullOrEmpty(launch.WorkingDirectory))
            {
                if (Path.IsPathRooted(launch.WorkingDirectory))
                {
                    // Processes run on the host: an absolute workingDir is a host path, as the command's own paths are.
                    workingDirectory = Path.GetFullPath(launch.WorkingDirectory);
                    if (!Directory.Exists(workingDirectory))
                    {
                        return $"the working directory {workingDirectory} does not exist on this host";
                    }
                }
                else
                {
                    // Container engines create a missing workingDir; so does this runtime, inside the pod directory.
                    workingDirectory = Path.GetFullPath(Path.Combine(podDirectory, launch.WorkingDirectory));
                    Directory.CreateDirectory(workingDirectory);
                }
            }

            // Shorter paths first, so that a mount inside another one's path lands inside that volume, as with real mounts.
            foreach (var mount in launch.Mounts.OrderBy(static m => m.ContainerPath.Length))
            {
                if (LinkMount(podDirectory, mount) is { } problem)
                {
                    return problem;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"the pod directory {podDirectory} could not be prepared: {exception.Message}";
        }

        var path = environment.LastOrDefault(static v => v.Name == "PATH")?.Value ?? "";
        return ResolveExecutable(commandLine[0], path, workingDirectory, out _, out _);
    }

    /// <summary>The pod's variables in order (a later duplicate wins, in the first one's place), plus PATH and HOME when the pod sets none.</summary>
    private static List<ProcessEnvironmentVariable> BuildEnvironment(IReadOnlyList<KeyValuePair<string, string>> podEnvironment, string podDirectory)
    {
        var variables = new List<ProcessEnvironmentVariable>(podEnvironment.Count + 2);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, value) in podEnvironment)
        {
            if (positions.TryGetValue(name, out var position))
            {
                variables[position] = new ProcessEnvironmentVariable(name, value);
            }
            else
            {
                positions[name] = variables.Count;
                variables.Add(new ProcessEnvironmentVariable(name, value));
            }
        }

        if (!positions.ContainsKey("PATH"))
        {
            variables.Add(new ProcessEnvironmentVariable("PATH", DefaultPath));
        }

        if (!positions.ContainsKey("HOME"))
        {
            variables.Add(new ProcessEnvironmentVariable("HOME", podDirectory));
        }

        return variables;
    }

    /// <summary>Makes a mount reachable as a symlink at &lt;pod dir&gt;/&lt;mountPath without its leading slash&gt;; returns why not, or null.</summary>
    private static string? LinkMount(string podDirectory, ContainerMount mount)
    {
        var relative = mount.ContainerPath.Trim('/');
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(static s => s is "." or ".."))
        {
            return $"mountPath \"{mount.ContainerPath}\" cannot be linked inside the pod directory: it must name a path below /, without . or ..";
        }

        if (segments[0] == StateDirectoryName)
        {
            return $"mountPath \"{mount.ContainerPath}\" would hide the process runtime's state directory {StateDirectoryName}";
        }

        var link = Path.Combine(podDirectory, Path.Combine(segments));
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mount.HostPath));
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        var existing = new FileInfo(link);
        if (existing.LinkTarget is { } current)
        {
            if (string.Equals(Path.TrimEndingDirectorySeparator(current), target, StringComparison.Ordinal))
            {
                // Linked already: an earlier attempt, or another container of the pod mounting the same volume.
                return null;
            }

            return $"mountPath \"{mount.ContainerPath}\" is already linked to {current} in the pod directory (another container of the pod mounts a different volume there)";
        }

        if (Path.Exists(link))
        {
            return $"mountPath \"{mount.ContainerPath}\": {link} already exists in the pod directory and is not a volume link";
        }

        File.CreateSymbolicLink(link, target);
        return null;
    }

    /// <summary>
    /// Finds the executable as execvp would (a name with a slash is a path from the working directory, a bare name is
    /// searched in PATH); returns why it cannot run, or null with <paramref name="resolved"/> set.
    /// <paramref name="exitCode"/> is what a shell or runc reports for the failure: 127 not found, 126 not executable.
    /// </summary>
    private static string? ResolveExecutable(string command, string path, string workingDirectory, out string resolved, out int exitCode)
    {
        resolved = command;
        exitCode = 127;
        if (command.Length == 0)
        {
            return "the command is an empty string";
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(workingDirectory, command));
            if (!File.Exists(full))
            {
                return $"executable file \"{command}\" not found: {full} does not exist";
            }

            if (!IsExecutable(full))
            {
                exitCode = 126;
                return $"executable file \"{command}\" is not executable: {full} has no execute permission";
            }

            resolved = full;
            return null;
        }

        foreach (var directory in path.Split(':'))
        {
            // An empty PATH entry means the current directory, as for execvp.
            var candidate = Path.GetFullPath(Path.Combine(directory.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, directory), command));
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                resolved = candidate;
                return null;
            }
        }

        return $"executable file \"{command}\" not found in PATH ({path})";
    }

    // The agent runs on Linux only; the guard is for the platform analyzer.
    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
