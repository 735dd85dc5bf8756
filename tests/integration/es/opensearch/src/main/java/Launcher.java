// Starts a real OpenSearch cluster (1 or more nodes, all in this JVM) for Comptoir's tests.
//
//   java -Xmx1g -cp CLASSPATH Launcher <http-port> <nodes> <dir>
//
// Node 1 serves HTTP on 127.0.0.1:<http-port>; the other nodes' HTTP ports and every
// transport port are free loopback ports chosen here. Plain HTTP (no security plugin is
// on the classpath), data and logs under <dir>/node_N. When every node has started,
// <dir>/nodes holds one URL a line (node 1 first). The JVM runs until it is signalled;
// a shutdown hook closes the nodes. Started by scripts/services; see docs/operations.md.

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class Launcher {
    private Launcher() {}

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher <http-port> <nodes> <dir>");
            System.exit(2);
        }
        final int httpPort = Integer.parseInt(args[0]);
        final int nodes = Integer.parseInt(args[1]);
        final Path dir = Paths.get(args[2]).toAbsolutePath();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("nodes"));

        final int[] http = new int[nodes];
        final int[] transport = new int[nodes];
        final List<String> seeds = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            http[i] = i == 0 ? httpPort : freePort();
            transport[i] = freePort();
            seeds.add("127.0.0.1:" + transport[i]);
            names.add("node-" + (i + 1));
        }

        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException e) {
                System.err.println("close: " + e);
            }
        }));
        runner.onBuild((index, settings) -> {
            final int i = index - 1;
            settings.put("node.name", names.get(i));
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(http[i]));
            settings.put("transport.port", String.valueOf(transport[i]));
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            // Tests fill the disk of a CI machine at times: never turn indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("bootstrap.memory_lock", false);
            if (nodes == 1) {
                settings.put("discovery.type", "single-node");
            } else {
                settings.putList("discovery.seed_hosts", seeds);
                settings.putList("cluster.initial_cluster_manager_nodes", names);
                // Several nodes share 2 cores: smaller thread pools.
                settings.put("node.processors", 1);
                // The runner starts the nodes one after the other: node 1 must not wait
                // (30 s by default) for a cluster that needs node 2 to form.
                settings.put("discovery.initial_state_timeout", "0s");
            }
        }).build(OpenSearchRunner.newConfigs()
                .basePath(dir.toString())
                .numOfNode(nodes)
                .clusterName("comptoir-test")
                .printOnFailure());

        final StringBuilder urls = new StringBuilder();
        for (final int p : http) {
            urls.append("http://127.0.0.1:").append(p).append('\n');
        }
        final Path tmp = dir.resolve("nodes.tmp");
        Files.write(tmp, urls.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve("nodes"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("launcher: " + nodes + " node(s) started; HTTP " + urls.toString().replace('\n', ' '));

        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
