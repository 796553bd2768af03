package io.vigie.simulator.capacity;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** {@code bench/e2e [options]}: exit code 0 once the report is written, 1 when the run failed, 2 on a bad command line. */
public final class CapacityMain {
  private CapacityMain() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(CapacityOptions.USAGE);
      return;
    }
    var vertx = Vertx.vertx();
    int code = 0;
    try {
      var report = CapacityRun.run(CapacityOptions.parse(args, System.getenv()), vertx, System.out);
      System.out.println();
      System.out.println(report.markdown());
    } catch (IllegalArgumentException e) {
      System.err.println("bench/e2e: " + e.getMessage());
      System.err.print(CapacityOptions.USAGE);
      code = 2;
    } catch (Exception e) {
      System.err.println("bench/e2e: " + e.getMessage());
      code = 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(code);
  }
}
