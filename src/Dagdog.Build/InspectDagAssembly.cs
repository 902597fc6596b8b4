using Dagdog.Families;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs after compilation: finds each task's class, checks its Run() method, and writes each task's code
/// fingerprint to <c>obj/dag/code/&lt;Task&gt;.code</c> only when it changed, so MSBuild's timestamp check
/// re-runs exactly the tasks whose code changed.
/// </summary>
public sealed class InspectDagAssembly : DagStateTask
{
    [Required] public string AssemblyPath { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        var declarations = Declarations.FromItems(Tasks);
        // Declarations that do not make a DAG were reported already (_DagCheckDeclarations); Run's parameters are then not checked.
        var dag = Dag.Create(declarations).Dag;
        var items = Declarations.FamilyItems(ForEachItems);
        AssemblyInspection inspection;
        try
        {
            inspection = TaskCodeInspector.Inspect(AssemblyPath, declarations, dag is null ? null : task => RunParameterSources.For(dag[task], items));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            Log.LogProblem(new(DagCodes.AssemblyUnreadable, null,
                $"Could not read the compiled tasks in {AssemblyPath}: {e.Message} Rebuild the project."), ProjectFile);
            return false;
        }
        if (!Log.LogProblems(inspection.Problems, ProjectFile)) return false;

        var layout = new StateLayout(StateDirectory, Path.GetDirectoryName(ProjectFile)!);
        foreach (var (name, code) in inspection.Tasks)
        {
            if (StateFiles.WriteIfChanged(layout.CodeFile(name), code.Fingerprint))
                Log.LogMessage(MessageImportance.Low, $"Dagdog: code of task {name} ({code.TypeFullName}) changed.");
        }
        InspectionMarker.Write(layout, AssemblyPath);
        return true;
    }
}
