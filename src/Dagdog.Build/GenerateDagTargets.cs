using Dagdog.Graph;
using Dagdog.State;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs during restore: validates the DagTask declarations and writes the generated targets that the build
/// imports, and beside them the family excludes that restore's evaluations import too (see <see cref="DagTargetsWriter"/>).
/// Targets cannot be created while a build runs, so this is the one moment they can be made.
/// </summary>
public sealed class GenerateDagTargets : DagdogTask
{
    public ITaskItem[] Tasks { get; set; } = [];

    [Required] public string TargetsFile { get; set; } = "";

    [Required] public string ExcludesFile { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        var declarations = Declarations.FromItems(Tasks);
        var signature = DeclarationSignature.Compute(declarations);
        // Declarations whose targets are written were valid when they were written, and make the same files again.
        if (DagTargetsWriter.IsWrittenFor(TargetsFile, signature)) return true;

        var validation = Dag.Create(declarations);
        if (!Log.LogProblems(validation.Problems, ProjectFile))
        {
            // Leave no targets from older declarations behind: the build's check then reports the same problems.
            if (File.Exists(TargetsFile)) File.Delete(TargetsFile);
            if (File.Exists(ExcludesFile)) File.Delete(ExcludesFile);
            return false;
        }

        // The excludes first: targets written for these declarations then say that both files are theirs.
        if (DagTargetsWriter.WriteExcludes(validation.Dag!) is { } excludes) StateFiles.WriteIfChanged(ExcludesFile, excludes);
        else if (File.Exists(ExcludesFile)) File.Delete(ExcludesFile);
        if (StateFiles.WriteIfChanged(TargetsFile, DagTargetsWriter.Write(validation.Dag!, signature)))
            Log.LogMessage(MessageImportance.Low, $"Dagdog: wrote {TargetsFile} for {validation.Dag!.Tasks.Count} task(s).");
        return true;
    }
}
