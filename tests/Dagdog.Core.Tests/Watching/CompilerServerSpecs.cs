using Dagdog.Watching;

namespace Dagdog.Tests.Watching;

/// <summary>The compiler's arguments as MSBuild hands them over, written back so that the compiler reads them whole; and what it says, read back.</summary>
public class CompilerServerSpecs
{
    [Theory]
    [InlineData("/out:obj/Debug/net10.0/Analysis.dll", "/out:obj/Debug/net10.0/Analysis.dll")]
    [InlineData("Fit.cs", "Fit.cs")]
    [InlineData("obj/Debug/net10.0/.NETCoreApp,Version=v10.0.AssemblyAttributes.cs", "\"obj/Debug/net10.0/.NETCoreApp,Version=v10.0.AssemblyAttributes.cs\"")]
    [InlineData("/home/ann smith/analysis/Fit.cs", "\"/home/ann smith/analysis/Fit.cs\"")]
    [InlineData("/reference:/home/ann smith/.nuget/packages/csvhelper/33.1.0/lib/net8.0/CsvHelper.dll", "/reference:\"/home/ann smith/.nuget/packages/csvhelper/33.1.0/lib/net8.0/CsvHelper.dll\"")]
    [InlineData("/features:\"InterceptorsNamespaces=;Microsoft.Extensions\"", "/features:\"InterceptorsNamespaces=;Microsoft.Extensions\"")]
    public void An_argument_with_a_space_comma_or_semicolon_is_quoted_once(string argument, string written) =>
        Assert.Equal(written, CompilerServer.Quoted(argument));

    [Fact]
    public void The_compilers_errors_and_warnings_are_read_with_their_place()
    {
        var error = BuildMessage.Parse("/p/Fit.cs(12,9): error CS1002: ; expected");
        var warning = BuildMessage.Parse("/p/Plot.cs(3,1): warning CS8618: Non-nullable property 'Name' must contain a non-null value.");
        var whole = BuildMessage.Parse("error CS0006: Metadata file '/p/x.dll' could not be found");

        Assert.Equal(new BuildMessage("/p/Fit.cs", 12, 9, true, "CS1002", "; expected"), error);
        Assert.Equal(("/p/Plot.cs", false, "CS8618"), (warning!.File, warning.IsError, warning.Code));
        Assert.Equal(new BuildMessage(null, 0, 0, true, "CS0006", "Metadata file '/p/x.dll' could not be found"), whole);
        Assert.Null(BuildMessage.Parse("Microsoft (R) Visual C# Compiler version 5.0.0"));
        // A child build's line, as MSBuild's console logger prints it, names its project last.
        Assert.Equal(new BuildMessage("/p/Analysis.csproj", 9, 5, true, "DAG003", "Task 'Clean' depends on 'Lode'."),
            BuildMessage.Parse("/p/Analysis.csproj(9,5): error DAG003: Task 'Clean' depends on 'Lode'. [/p/Analysis.csproj]"));
    }
}
