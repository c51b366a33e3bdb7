package dev.arcsim.world.tls;

import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTPS in front of a plain-HTTP server on loopback: it ends TLS with the run's certificate and pipes the bytes to
 * the backend, one backend connection per client connection. It offers no ALPN, so clients speak HTTP/1.1 (Go's
 * client then does as well), and long requests (watches, long polls) pass as any other bytes do. This is what lets
 * a client that insists on HTTPS, as a Kubernetes in-cluster config does, talk to the embedded API server.
 */
public final class TlsFront implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress backend;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private TlsFront(ServerSocket server, InetSocketAddress backend) {
        this.server = server;
        this.backend = backend;
        this.acceptor = Thread.ofPlatform().daemon().name("tls-front-" + server.getLocalPort()).unstarted(this::accept);
    }

    /** Listens on 127.0.0.1 at an ephemeral port, in front of {@code backendPort} on 127.0.0.1. */
    public static TlsFront start(ClusterCa ca, int backendPort) {
        return start(ca, 0, backendPort);
    }

    /** Listens on 127.0.0.1:{@code port} (0: an ephemeral one), in front of {@code backendPort} on 127.0.0.1. */
    public static TlsFront start(ClusterCa ca, int port, int backendPort) {
        try {
            SSLServerSocket s = (SSLServerSocket) ca.serverContext().getServerSocketFactory()
                    .createServerSocket(port, 64, InetAddress.getLoopbackAddress());
            s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            TlsFront front = new TlsFront(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort));
            front.acceptor.start();
            return front;
        } catch (IOException e) {
            throw new IllegalStateException("could not listen for HTTPS on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The URL clients use: {@code https://127.0.0.1:PORT}. */
    public String url() {
        return "https://127.0.0.1:" + port();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;  // closed
            }
            open.add(client);
            Thread.ofPlatform().daemon().name("tls-front-conn").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            upstream.connect(backend, 5_000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            Thread back = Thread.ofPlatform().daemon().name("tls-front-back")
                    .start(() -> pipe(upstream, client));
            pipe(client, upstream);
            back.join();
        } catch (IOException e) {
            // the backend is gone (the run is ending) or refused: the client sees its connection close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies until either side ends, then closes both: HTTP/1.1 needs no half-close here. */
    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a reset or a failed handshake ends this connection only
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        Set.copyOf(open).forEach(this::closeQuietly);
    }
}
