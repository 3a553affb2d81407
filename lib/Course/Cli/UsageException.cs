namespace Course.Cli;

/// <summary>The command line is wrong (unknown command or option, missing value, path that does not exist); exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
