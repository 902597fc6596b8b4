using Dagdog.Board;

// DAGDOG_BOARD_TOKEN=T dotnet Dagdog.Board.dll serve --host 127.0.0.1 --ports 5757,0  (the live board on the first port free;
// ends with standard input; the token in the environment, which other users cannot read, not on the command line, which they can)
// dotnet Dagdog.Board.dll snapshot --out board.html                       (writes the board of the last document read)
// Standard input carries the feed (BoardFeed); the first line written to standard output is the serving address.
return args switch
{
    ["serve", "--host", var host, "--ports", var ports] when Environment.GetEnvironmentVariable(BoardServer.TokenVariable) is { Length: >= 16 } token =>
        await BoardServer.Serve(host, ports.Split(',').Select(int.Parse).ToList(), token, Console.In, Console.Out),
    ["snapshot", "--out", var file] => Snapshot.Write(file, ReadLast(Console.In)),
    _ => Usage(),
};

static BoardDocument? ReadLast(TextReader feed)
{
    BoardDocument? last = null;
    while (feed.ReadLine() is { } line) last = BoardFeed.DocumentIn(line) ?? last;
    return last;
}

static int Usage()
{
    Console.Error.WriteLine("Dagdog.Board is started by Dagdog's targets (-t:DagBoard, -p:DagBoardFile=...), not by hand.");
    return 2;
}
