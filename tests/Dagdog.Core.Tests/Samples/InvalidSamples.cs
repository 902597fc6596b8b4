namespace Dagdog.Tests.Samples
{
    public class SampleWithArguments
    {
        public void Run(int times) => Console.WriteLine(times);
    }

    public class SampleAggregator
    {
        public void Run(IReadOnlyList<string> species, CancellationToken cancellation) => Console.WriteLine(species.Count);
    }

    public class SampleAsyncVoid
    {
        public async void Run() => await Task.Delay(1);
    }

    public class SampleWithToken
    {
        public Task Run(CancellationToken cancellation) => Task.Delay(1, cancellation);
    }

    public class SampleReturningInt
    {
        public int Run() => 1;
    }

    public class SampleWithoutDefaultConstructor(int seed)
    {
        public void Run() => Console.WriteLine(seed);
    }

    public class SamplePrivateRun
    {
        private void Run() => Console.WriteLine(nameof(SamplePrivateRun));

        public void Other() => Run();
    }
}

namespace Dagdog.Tests.Samples.First
{
    public class SampleTwice
    {
        public void Run() => Console.WriteLine(1);
    }
}

namespace Dagdog.Tests.Samples.Second
{
    public class SampleTwice
    {
        public void Run() => Console.WriteLine(2);
    }
}
