namespace Dagdog.Tests.Samples
{
    // The template-method pattern: Run() on an abstract base, the step that differs on each task.
    public abstract class SampleCsvTask
    {
        public void Run() => Console.WriteLine(Transform("1,2,3"));

        protected abstract string Transform(string csv);
    }

    public class SampleInheritedRun : SampleCsvTask
    {
        protected override string Transform(string csv) => csv.ToUpperInvariant();
    }

    public class SampleGenericBase<T>
    {
        public Task Run(CancellationToken cancellation) => Task.Delay(1, cancellation);
    }

    public class SampleGenericInherited : SampleGenericBase<int>;

    public class SampleProtectedBase
    {
        protected void Run() => Console.WriteLine(nameof(SampleProtectedBase));
    }

    public class SampleProtectedInherited : SampleProtectedBase;

    public class SampleAsyncVoidBase
    {
        public async void Run() => await Task.Delay(1);
    }

    public class SampleAsyncVoidInherited : SampleAsyncVoidBase;
}
