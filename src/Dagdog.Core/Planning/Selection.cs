using Dagdog.Graph;

namespace Dagdog.Planning;

/// <summary>Which tasks a selection takes, relative to the task it names (dagdog's <c>dog(...)</c> forms).</summary>
internal enum SelectionMode
{
    /// <summary>Every task (dagdog <c>dog()</c>).</summary>
    All,

    /// <summary>The task after its stale ancestors (dagdog <c>+k</c>); with Exclusive, only the ancestors (<c>+(k)</c>).</summary>
    Upstream,

    /// <summary>The task and every descendant, whatever their state (dagdog <c>k+</c>); with Exclusive, only the descendants (<c>(k)+</c>).</summary>
    Downstream,

    /// <summary>The task alone, whatever its state (dagdog <c>dog(k)</c>).</summary>
    Only,
}

/// <summary>A parsed selection: what the user asked to run.</summary>
/// <param name="Task">The task's name or index; null for <see cref="SelectionMode.All"/>.</param>
/// <param name="Key">For a family: the instance named (<c>Fit[adelie]</c>, <c>DagInstance</c>), or a key prefix ending in <c>*</c>.</param>
internal sealed record Selection(SelectionMode Mode, string? Task = null, bool Exclusive = false, bool Force = false, string? Key = null)
{
    /// <summary>The instances of the selected family it names; null for all of them.</summary>
    public Families.KeyFilter? Keys => Key is null ? null : new(Key);

    public static readonly Selection Everything = new(SelectionMode.All);

    /// <summary>Only and Downstream run what they select whatever its state, as dagdog does; Force makes every mode do so.</summary>
    public bool RunsRegardlessOfState => Force || Mode is SelectionMode.Only or SelectionMode.Downstream;

    private const string CompactForms = "'Fit' (Fit alone), '+Fit' (Fit after its stale upstream), 'Fit+' (Fit and everything downstream), " +
                                        "'+(Fit)' (the upstream of Fit), '(Fit)+' (the downstream of Fit); a task's index may stand for its name, " +
                                        "and 'Fit[adelie]' names one instance of a family in any of these forms ('Fit[ad*]' those whose key starts with 'ad')";

    /// <summary>
    /// Reads the selection from the build's properties: <c>Dag</c> (compact, dagdog's syntax) or <c>DagFrom</c> with
    /// <c>DagMode</c> and <c>DagExclusive</c>, or the task target asked for (<c>-t:Dag_Fit</c>, which is <c>+Fit</c>);
    /// <c>DagForce</c> applies to all.
    /// </summary>
    public static (Selection? Selection, DagProblem? Problem) Parse(string? compact, string? from, string? mode, string? exclusive, string? force, string? target = null,
        string? instance = null)
    {
        compact = compact?.Trim();
        from = from?.Trim();
        instance = string.IsNullOrWhiteSpace(instance) ? null : instance.Trim();
        if (instance is not null && string.IsNullOrEmpty(from))
            return (null, Invalid($"DagInstance={instance} names an instance of the family DagFrom names: add -p:DagFrom=<family>, or write -p:Dag=<family>[{instance}]."));
        if (Options.Flag("DagForce", force) is { Problem: { } forceProblem }) return (null, forceProblem);
        var isForced = Options.Flag("DagForce", force).Value;
        if (Options.Flag("DagExclusive", exclusive) is { Problem: { } exclusiveProblem }) return (null, exclusiveProblem);
        var isExclusive = Options.Flag("DagExclusive", exclusive).Value;

        if (!string.IsNullOrWhiteSpace(target))
        {
            if (!string.IsNullOrEmpty(compact) || !string.IsNullOrEmpty(from) || !string.IsNullOrWhiteSpace(mode) || isExclusive)
                return (null, Invalid($"The task target Dag_{target.Trim()} selects +{target.Trim()} itself: give it without Dag, DagFrom, DagMode or DagExclusive, or use -t:Dag with those."));
            return (new Selection(SelectionMode.Upstream, target.Trim(), Force: isForced), null);
        }

        if (!string.IsNullOrEmpty(compact))
        {
            if (!string.IsNullOrEmpty(from) || !string.IsNullOrWhiteSpace(mode) || isExclusive)
                return (null, Invalid("Give either Dag (compact form) or DagFrom/DagMode/DagExclusive, not both."));
            return ParseCompact(compact, isForced);
        }

        if (string.IsNullOrEmpty(from))
        {
            if (!string.IsNullOrWhiteSpace(mode) || isExclusive)
                return (null, Invalid("DagMode and DagExclusive need a task: add -p:DagFrom=<name or index>."));
            return (Everything with { Force = isForced }, null);
        }

        SelectionMode parsedMode;
        if (string.IsNullOrWhiteSpace(mode)) parsedMode = SelectionMode.Upstream;
        else if (!Enum.TryParse(mode.Trim(), ignoreCase: true, out parsedMode) || parsedMode == SelectionMode.All || int.TryParse(mode, out _))
            return (null, new DagProblem(DagCodes.UnknownMode, null, $"Unknown DagMode '{mode}'. Use Upstream (the default), Downstream or Only."));

        if (isExclusive && parsedMode == SelectionMode.Only)
            return (null, Invalid("DagExclusive=true with DagMode=Only would select nothing. Use Upstream or Downstream with DagExclusive."));
        if (Split(from) is (_, _)) return (null, Invalid($"DagFrom={from} names an instance: give the family in DagFrom and the key in DagInstance."));
        return (new Selection(parsedMode, from, isExclusive, isForced, instance), null);
    }

    // "Fit[adelie]" into the task and the key; null for a plain name.
    private static (string Task, string Key)? Split(string text) => Families.InstanceKeys.Split(text);

    private static (Selection?, DagProblem?) ParseCompact(string text, bool force)
    {
        var (mode, exclusive, task) = text switch
        {
            ['+', '(', .. var inner, ')'] => (SelectionMode.Upstream, true, inner),
            ['(', .. var inner, ')', '+'] => (SelectionMode.Downstream, true, inner),
            ['+', .. var inner] => (SelectionMode.Upstream, false, inner),
            [.. var inner, '+'] => (SelectionMode.Downstream, false, inner),
            _ => (SelectionMode.Only, false, text),
        };
        task = task.Trim();
        string? key = null;
        if (Split(task) is (var name, var instance)) (task, key) = (name.Trim(), instance);
        if (task.Length == 0 || task.IndexOfAny(['+', '(', ')', ' ', ';', '[', ']']) >= 0 || key?.Length == 0)
            return (null, new DagProblem(DagCodes.MalformedSelector, null, $"Cannot read the selection Dag='{text}'. Valid forms: {CompactForms}."));
        return (new Selection(mode, task, exclusive, force, key), null);
    }

    private static DagProblem Invalid(string message) => new(DagCodes.InvalidSelection, null, message);

    private DagProblem NotAFamily(DagNode task) => new(DagCodes.UnknownInstance, task.Name,
        $"The selection names the instance '{Key}' of task '{task.Name}', which is not a family (it has no ForEach or ForEachItem). Select '{task.Name}' without [{Key}].");

    /// <summary>The selection in dagdog's compact form, with the task's name (<c>+Fit</c>, <c>(Clean)+</c>, <c>all</c>), and <c>forced</c>.</summary>
    public string Describe(DagNode? task)
    {
        var name = (task?.Name ?? Task ?? "") + (Key is null ? "" : $"[{Key}]");
        var form = Mode switch
        {
            SelectionMode.All => "all",
            SelectionMode.Upstream => Exclusive ? $"+({name})" : $"+{name}",
            SelectionMode.Downstream => Exclusive ? $"({name})+" : $"{name}+",
            _ => name,
        };
        return Force ? $"{form}, forced" : form;
    }

    /// <summary>Finds the named task by name or index; a problem lists what is valid.</summary>
    public (DagNode? Task, DagProblem? Problem) ResolveTask(Dag dag)
    {
        if (Task is null) return (null, null);
        if (int.TryParse(Task, out var index))
        {
            return index >= 0 && index < dag.Tasks.Count
                ? Key is not null && dag.Tasks[index].Family is null ? (null, NotAFamily(dag.Tasks[index])) : (dag.Tasks[index], null)
                : (null, new DagProblem(DagCodes.IndexOutOfRange, null,
                    $"There is no task at index {index}: indexes run from 0 to {dag.Tasks.Count - 1}. 'dotnet build -t:DagList' lists them."));
        }
        if (dag.TryGetTask(Task, out var task)) return Key is not null && task.Family is null ? (null, NotAFamily(task)) : (task, null);
        var nearest = TaskNames.Nearest(Task, dag.Tasks.Select(t => t.Name));
        var hint = nearest is null ? $"Tasks: {string.Join(", ", dag.Tasks.Select(t => t.Name))}." : $"Did you mean '{nearest}'?";
        return (null, new DagProblem(DagCodes.UnknownSelectedTask, null, $"There is no task '{Task}' to select. {hint}"));
    }
}
