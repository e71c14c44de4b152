// The end-to-end tests drive Linux processes (kubectl, the edgecloud executable) and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
