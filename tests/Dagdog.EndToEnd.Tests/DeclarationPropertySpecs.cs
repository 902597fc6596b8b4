namespace Dagdog.EndToEnd;

/// <summary>Random declarations (<see cref="RandomDeclarations"/>), a few built for real; Dagdog.Build.Tests checks many more.</summary>
[Collection(EndToEndCollection.Name)]
public class DeclarationPropertySpecs(SdkFeed feed)
{
    [Fact]
    public void Random_declarations_are_refused_with_DAG_errors_or_run_in_dependency_order_and_are_then_up_to_date() =>
        RandomDeclarations.HoldFor(() => feed.CreateProject("random"), iterations: 2);
}
