using TaskQueue.Cli;

return await Taskq.RunAsync(args, CliConsole.System);
