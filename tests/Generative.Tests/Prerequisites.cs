namespace Generative.Tests;

/// <summary>
/// Tests that need something outside the repository (Debian's dataset-fashion-mnist, PyTorch) skip with a reason on a
/// learner's machine. CI sets COURSE_REQUIRE_PREREQUISITES=1 and installs them: then nothing skips, and a missing
/// prerequisite fails the test with the same reason.
/// </summary>
internal static class Prerequisites
{
    public static bool Required => Environment.GetEnvironmentVariable("COURSE_REQUIRE_PREREQUISITES") == "1";
}
