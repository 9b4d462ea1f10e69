package dev.sightline.retrieval.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's HTTP client: one blocking HTTP/1.1 keep-alive connection per worker, requests written from bytes
 * (or files) prepared before the clock, answers read by their Content-Length (or chunks). The JDK's
 * HttpClient hands every exchange between its selector thread and an executor, which on a 2-core machine shared
 * with the service and PostgreSQL costs more CPU and latency than the service's own work; a load generator that
 * does no more than wrk does keeps the comparison with the direct JDBC client fair.
 */
final class LeanHttp implements AutoCloseable {

    /** A status and a body. */
    record Answer(int status, byte[] body) {
    }

    private final InetSocketAddress address;
    private final String host;
    private final Socket[] sockets;
    private final InputStream[] ins;
    private final OutputStream[] outs;

    LeanHttp(URI base, int workers) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.host = base.getHost() + ":" + base.getPort();
        this.sockets = new Socket[workers];
        this.ins = new InputStream[workers];
        this.outs = new OutputStream[workers];
    }

    /** The bytes of one request, headers included. */
    byte[] request(String method, String path, String[] headers, byte[] body) {
        return request(method, path, headers, body, body == null ? -1 : body.length);
    }

    /** The bytes of a request's headers and its body, if any; {@code length} is the body's (-1: none). */
    byte[] request(String method, String path, String[] headers, byte[] body, long length) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (length >= 0) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends a prepared request on the worker's connection (opened on first use) and reads the answer. */
    Answer exchange(int worker, byte[] request) throws IOException {
        return exchange(worker, request, null);
    }

    /** Sends prepared request headers, then a file as the body (the headers give its length). */
    Answer exchange(int worker, byte[] head, Path body) throws IOException {
        if (sockets[worker] == null) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(address, 10_000);
            s.setSoTimeout(600_000); // a bulk answer comes after its commit
            sockets[worker] = s;
            ins[worker] = new BufferedInputStream(s.getInputStream(), 1 << 16);
            outs[worker] = s.getOutputStream();
        }
        try {
            outs[worker].write(head);
            if (body != null) {
                try (InputStream file = Files.newInputStream(body)) {
                    byte[] buf = new byte[1 << 20];
                    for (int n = file.read(buf); n >= 0; n = file.read(buf)) {
                        outs[worker].write(buf, 0, n);
                    }
                }
            }
            outs[worker].flush();
            return read(ins[worker]);
        } catch (IOException e) {
            closeWorker(worker);
            throw e;
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim();
            String value = colon < 0 ? "" : h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            for (String t = line(in); !t.isEmpty(); t = line(in)) {
                // trailers
            }
            return new Answer(code, body.toByteArray());
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length or chunks");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("the connection closed inside an answer");
        }
        return new Answer(code, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private void closeWorker(int worker) {
        try {
            if (sockets[worker] != null) {
                sockets[worker].close();
            }
        } catch (IOException ignored) {
            // closing
        } finally {
            sockets[worker] = null;
        }
    }

    @Override
    public void close() {
        for (int w = 0; w < sockets.length; w++) {
            closeWorker(w);
        }
    }
}
