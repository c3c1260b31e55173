// A TCP proxy between the browser and the hub that a test can cut, keep shut and point at
// another hub: the network failures a client must survive.
import {createServer, connect} from 'node:net';

export function startProxy(targetPort) {
    const pairs = new Set();
    let target = targetPort;
    let shut = false;
    const server = createServer((client) => {
        if (shut) {
            client.destroy();
            return;
        }
        const upstream = connect(target, '127.0.0.1');
        const pair = [client, upstream];
        pairs.add(pair);
        const end = () => {
            pairs.delete(pair);
            client.destroy();
            upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
        client.pipe(upstream);
        upstream.pipe(client);
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            resolve({
                port: server.address().port,
                /** Drops every connection at once, as a lost network would. */
                cut() {
                    for (const [client, upstream] of [...pairs]) {
                        client.destroy();
                        upstream.destroy();
                    }
                    pairs.clear();
                },
                /** While shut, new connections are dropped as soon as they come. */
                shut(value) {
                    shut = value;
                },
                retarget(port) {
                    target = port;
                },
                close() {
                    this.cut();
                    return new Promise((done) => server.close(done));
                },
            });
        });
    });
}
