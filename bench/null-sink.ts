/**
 * A null OTLP/HTTP receiver: reads each request body whole and answers 200
 * with an empty ExportTraceServiceResponse. Run as its own process by the
 * bench, so the SDK row has a transport ceiling measured in the same run on
 * the same machine. Prints its port on stdout, then serves until killed.
 */
import http from 'node:http';

let spansBytes = 0;
const server = http.createServer((req, res) => {
  req.on('data', (c: Buffer) => (spansBytes += c.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`null sink read ${spansBytes} bytes\n`);
  server.close();
  process.exit(0);
});
