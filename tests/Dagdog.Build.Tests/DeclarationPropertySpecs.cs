namespace Dagdog.Build.Tests;

/// <summary>Random declarations (<see cref="RandomDeclarations"/>), each built with Dagdog's real targets in process.</summary>
public class DeclarationPropertySpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void Random_declarations_are_refused_with_DAG_errors_or_run_in_dependency_order_and_are_then_up_to_date() =>
        RandomDeclarations.HoldFor(() => projects.CreateProject("random"), iterations: 40);
}
