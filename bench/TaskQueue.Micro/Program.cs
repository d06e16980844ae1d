using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Reports go under bench/results/tmp/micro (git-ignored) rather than into whatever folder this was started from.
var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../results/tmp/micro"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.WithArtifactsPath(artifacts));
