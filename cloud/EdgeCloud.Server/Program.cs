// The host's entry point is being built (issue 3); until then it only explains itself.
Console.Error.WriteLine("usage: edgecloud server --data-dir DIR --listen HOST:PORT [--datastore sqlite|postgres://...] (not yet served)");
return 2;
