// Where the core puts its public types (src/TaskQueue: one folder, one namespace per concept).
global using TaskQueue.Hosting;
global using TaskQueue.Isolation;
global using TaskQueue.Jobs;
global using TaskQueue.Queues;
global using TaskQueue.Tasks;
global using TaskQueue.Workers;
