using EdgeCloud.Server.Hosting;

return await ServerCommand.Create().Parse(args).InvokeAsync();
