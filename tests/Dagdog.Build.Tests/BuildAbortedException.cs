namespace Microsoft.Build.Exceptions;

/// <summary>
/// Stands for MSBuild's own (in Microsoft.Build.dll, which these specs do not load), by its full name: what the engine
/// throws from Reacquire once Ctrl+C cancelled the build.
/// </summary>
internal sealed class BuildAbortedException() : Exception("MSB4188: Build was canceled.");
