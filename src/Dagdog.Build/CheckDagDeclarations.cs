using Dagdog.Graph;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs first in every build: validates the declarations again and makes sure the imported targets were
/// generated from exactly these declarations. Otherwise the DAG MSBuild would run is not the one declared.
/// </summary>
public sealed class CheckDagDeclarations : DagdogTask
{
    public ITaskItem[] Tasks { get; set; } = [];

    /// <summary>The signature the imported generated targets carry; empty when none were imported.</summary>
    public string GeneratedSignature { get; set; } = "";

    [Required] public string TargetsFile { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        var declarations = Declarations.FromItems(Tasks);
        // The one place a build reports the declarations' warnings, once.
        if (!Log.LogProblems(Dag.Create(declarations).Problems, ProjectFile, warnings: true)) return false;

        const string fix = "Run 'dotnet restore' (or build without --no-restore): Dagdog generates the task targets during restore.";
        if (GeneratedSignature.Length == 0)
        {
            Log.LogProblem(new(DagCodes.TargetsNotGenerated, null,
                $"The Dagdog task targets have not been generated ({TargetsFile} is missing). {fix}"), ProjectFile);
            return false;
        }
        if (GeneratedSignature != DeclarationSignature.Compute(declarations))
        {
            Log.LogProblem(new(DagCodes.TargetsStale, null,
                $"The DagTask declarations changed since the task targets were generated, so they would run a stale DAG. {fix}"), ProjectFile);
            return false;
        }
        return true;
    }
}
