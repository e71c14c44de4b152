using EdgeCloud.Agent;

return await AgentCommand.Create().Parse(args).InvokeAsync();
