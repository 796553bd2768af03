package io.vigie.platform;

import static io.vigie.platform.BrowserPlatform.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.FridgeModel;
import io.vigie.simulator.Gateways;
import io.vigie.simulator.Probe;
import io.vigie.simulator.Silence;
import io.vigie.simulator.sender.WebhookSender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The administration pages in a real Chromium: the hierarchy, devices (one by one and imported), device types with a
 * JavaScript codec tried in the page, and the LoRaWAN frame debugger; and what a viewer is offered there.
 */
@DisplayName("The dashboard's administration pages, in a browser")
class AdminPagesBrowserTest extends BrowserTest {
  private static final String VIEWER = "tenant-viewer";
  private static final String VIEWER_PASSWORD = "tenant-viewer-password";
  private static final Path VECTORS = Path.of("/work/shared/vectors/lorawan-uplinks-public.json");

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    open(new BrowserPlatform("admin-pages", 13, 900, 2, redis, elasticsearch, mqtt));
    world.createUser(VIEWER, VIEWER_PASSWORD, "viewer", "default");
    var type = join(world.client.put(world.adminToken(), "/api/v1/device-types/js-probe", new JsonObject().put("name", "JS probe")
        .put("codec", new JsonObject().put("kind", "javascript").put("script", "function decodeUplink(input) { return { data: { temperature: input.bytes[0] } }; }"))));
    assertThat(type.statusCode()).as(type.bodyAsString()).isEqualTo(201);
  }

  /** A place created over the API by the admin. */
  private static void place(String id, String parentId, String kind, String name) throws Exception {
    ok(world.client.post(world.adminToken(), "/api/v1/nodes", new JsonObject().put("id", id).put("parentId", parentId).put("kind", kind).put("name", name)));
  }

  private AdminPage admin() {
    loginAsAdmin();
    return new AdminPage(browser);
  }

  @Test
  @DisplayName("an admin builds a site, a room, a device type with a JavaScript codec tried in the page and an ABP device, "
      + "and the simulator's uplink shows decoded on the fridge page")
  void buildAndHear() throws Exception {
    var page = admin().open("hierarchy/default");
    page.click("add-child").choose("child-kind", "site").type("child-name", "Grenoble").type("child-id", "grenoble").click("save");
    browser.until(d -> d.getCurrentUrl().endsWith("#/admin/hierarchy/grenoble"));
    assertThat(page.text("done")).isEqualTo("Grenoble created.");
    page.click("add-child").choose("child-kind", "room").type("child-name", "Cold room").type("child-id", "grenoble-cold").click("save");
    browser.until(d -> d.getCurrentUrl().endsWith("#/admin/hierarchy/grenoble-cold"));
    browser.until(d -> d.findElement(By.cssSelector(".tree a[data-node-id=grenoble-cold]")).isDisplayed());
    browser.screenshot("admin-hierarchy");

    page.open("types/new").type("type-id", "lab-probe").type("type-name", "Lab probe");
    // a syntax error is shown with its line marked in the editor's margin
    page.type("type-script", "function decodeUplink(input) {\nvar b = input.bytes;\nreturn { data: { temperature: b[2] +* 1 } };\n}\n");
    page.type("try-payload", "0167002a").click("try");
    var errors = page.text("trial-errors");
    String marked = browser.until(d -> browser.texts(".code-gutter .code-error-line").stream().findFirst().orElse(null));
    assertThat(marked).as(errors).isEqualTo("3");
    browser.screenshot("admin-codec-error");
    // a codec that reads a Cayenne temperature, tried on 0167002a (4.2 °C)
    page.type("type-script", "function decodeUplink(input) {\nvar b = input.bytes;\nvar raw = (b[2] << 8) | b[3];\n"
        + "if (raw > 32767) raw -= 65536;\nreturn { data: { temperature: raw / 10 } };\n}\n");
    page.type("try-payload", "0167002a").click("try");
    browser.until(d -> browser.texts("[data-test=measurements] tbody td").contains("4.2"));
    assertThat(browser.texts("[data-test=measurements] tbody td")).containsSequence("temperature", "4.2", "Cel");
    assertThat(page.text("raw")).contains("\"temperature\": 4.2");
    browser.screenshot("admin-codec");
    page.click("save-type");
    assertThat(page.text("done")).isEqualTo("Lab probe saved and active.");

    var hex = HexFormat.of();
    var appSKey = hex.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    var nwkSKey = hex.parseHex("000102030405060708090a0b0c0d0e0f");
    var devEui = "70b3d57ed0000901";
    page.open("devices/new?nodeId=grenoble-cold").type("device-eui", devEui).type("device-name", "Lab fridge")
        .choose("device-type", "lab-probe").choose("device-node", "grenoble-cold").choose("device-mode", "ABP")
        .type("device-addr", "26011f01").type("device-appskey", hex.formatHex(appSKey)).type("device-nwkskey", hex.formatHex(nwkSKey));
    assertThat(browser.find(By.id("device-appskey")).getAttribute("type")).isEqualTo("password");
    assertThat(browser.find(By.id("device-appskey")).getAttribute("autocomplete")).isEqualTo("off");
    browser.screenshot("admin-device-new");
    page.click("save");
    browser.until(d -> d.getCurrentUrl().endsWith("#/admin/devices/" + devEui));
    // the keys are never shown back: the fields are empty, and the page holds no trace of them
    assertThat(browser.find(By.id("device-appskey")).getAttribute("value")).isEmpty();
    assertThat(browser.driver.getPageSource()).doesNotContain(hex.formatHex(appSKey)).doesNotContain(hex.formatHex(nwkSKey));

    var probe = new Probe(devEui, "Lab fridge", "grenoble", "grenoble-cold", 0x26011f01, appSKey, nwkSKey,
        new FridgeModel(4, false, 1), new Silence(0, 1, 1, 1), 1);
    var frame = probe.frame(7, 5.5, Instant.now(), Gateways.of(1).receptions());
    var outcome = join(WebhookSender.chirpStack(world.vertx, world.baseUrl, world.ingestToken).send(frame));
    assertThat(outcome.delivered()).as(outcome.toString()).isTrue();
    world.awaitStored(frame);
    // stored is not yet searchable: the fridge page reads the latest values once, then only live ones
    var token = world.adminToken();
    await().atMost(Duration.ofSeconds(30)).until(() -> join(world.client.http.get("/api/v1/history/nodes/grenoble-cold/latest")
        .bearerTokenAuthentication(token).send()).bodyAsString().contains(devEui));

    page.click("fridge-link");
    var fridge = new FridgePage(browser);
    // the fridge page names a device by the place it is attached to (for the fleet, a fridge asset)
    assertThat(fridge.title()).isEqualTo("Cold room");
    browser.until(d -> browser.texts("article.fridge").get(0).contains(devEui));
    browser.until(Duration.ofSeconds(20), d -> fridge.temperature().contains("5.5"));
    assertThat(fridge.uplinkFates()).first().isEqualTo("stored");
    browser.screenshot("admin-device-heard");
  }

  @Test
  @DisplayName("a bulk import with one bad row shows that row's error in the result table and imports the others")
  void importWithABadRow() throws Exception {
    var csv = Files.createTempFile("devices", ".csv");
    Files.writeString(csv, """
        devEui,name,nodeId,type,mode,devAddr,appSKey,nwkSKey
        70b3d57ed0000a01,Import one,default,lpp-fridge-probe,network-decrypted,,,
        70b3d57ed0000a02,Import two,no-such-place,lpp-fridge-probe,network-decrypted,,,
        70b3d57ed0000a03,Import three,default,lpp-fridge-probe,network-decrypted,,,
        """);
    var page = admin().open("devices");
    page.upload(csv.toAbsolutePath().toString());
    assertThat(page.text("import-summary")).isEqualTo("2 created, 0 updated, 0 unchanged, 1 refused.");
    assertThat(browser.texts("[data-test=import-results] tr[data-row='2'] td").get(2)).startsWith("refused:").contains("nodeId");
    assertThat(browser.texts("[data-test=import-results] tr[data-row='1'] td").get(2)).isEqualTo("created");
    browser.until(d -> browser.texts("table.devices tbody td").contains("Import three"));
    browser.screenshot("admin-import");

    page.type("device-search", "import");
    assertThat(browser.texts("table.devices tbody tr td:first-child")).containsExactlyInAnyOrder("Import one", "Import three");
    browser.screenshot("admin-devices");
  }

  @Test
  @DisplayName("moving and deleting a node ask first, counting the places and devices that move or go with it")
  void moveAndDeleteCountWhatGoes() throws Exception {
    place("annex", "default", "building", "Annex");
    place("annex-store", "annex", "room", "Store");
    var page = admin().open("hierarchy/annex");
    page.click("move-node").choose("move-parent", "site-lyon").click("save");
    assertThat(page.text("confirm-text")).startsWith("Annex moves into Lyon with everything in it (places below: 1, devices: 0).");
    browser.screenshot("admin-move-confirm");
    page.click("confirm");
    browser.until(d -> d.findElements(By.cssSelector(".tree a[data-node-id=site-lyon] + .tree a[data-node-id=annex]")).size() == 1);
    page.click("delete-node");
    assertThat(page.text("confirm-text")).isEqualTo("Annex will be deleted with everything in it (places below: 1, devices: 0). This cannot be undone.");
    browser.screenshot("admin-delete-confirm");
    page.click("confirm");
    browser.until(d -> d.getCurrentUrl().endsWith("#/admin/hierarchy/site-lyon"));
    browser.until(d -> d.findElements(By.cssSelector(".tree a[data-node-id=annex]")).isEmpty());
  }

  /** The audit entries of a kind at a place, once one of {@code action} on {@code targetId} is indexed (a moment after the change). */
  private static List<JsonObject> audited(String query, String action, String targetId) throws Exception {
    var token = world.adminToken();
    return await().atMost(Duration.ofSeconds(30)).until(() -> join(world.client.http.get("/api/v1/audit?limit=500&" + query)
            .bearerTokenAuthentication(token).send()).bodyAsJsonObject().getJsonArray("entries").stream().map(JsonObject.class::cast).toList(),
        entries -> entries.stream().anyMatch(e -> action.equals(e.getString("action")) && targetId.equals(e.getString("targetId"))));
  }

  private static JsonObject change(Object from, Object to) {
    return new JsonObject().put("from", from).put("to", to);
  }

  @Test
  @DisplayName("a place is renamed and given attributes in the page; the tree, the API and the audit trail show the change")
  void renameAndAttributes() throws Exception {
    place("depot", "default", "building", "Depot");
    var page = admin().open("hierarchy/depot");
    page.click("edit-node").type("node-name", "North depot").type("node-attributes", "setpoint=4\nowner=night shift").click("save");
    assertThat(page.text("done")).isEqualTo("Saved.");
    browser.until(d -> d.findElement(By.cssSelector("main h1")).getText().startsWith("North depot"));
    assertThat(browser.texts("[data-test=node] .facts dt")).contains("setpoint", "owner");
    assertThat(browser.texts("[data-test=node] .facts dd")).contains("4", "night shift");
    assertThat(browser.texts(".tree a[data-node-id=depot]")).containsExactly("North depot");
    browser.screenshot("admin-node-edited");
    var node = get("/api/v1/nodes/depot");
    assertThat(node.getString("name")).isEqualTo("North depot");
    assertThat(node.getJsonObject("attributes").getMap()).containsEntry("setpoint", "4").containsEntry("owner", "night shift");
    var update = audited("kind=node&nodeId=depot", "update", "depot").stream().filter(e -> e.getString("action").equals("update")).findFirst().orElseThrow();
    assertThat(update.getJsonObject("actor").getString("sub")).isEqualTo("admin");
    assertThat(update.getJsonObject("changes").getJsonObject("name")).isEqualTo(change("Depot", "North depot"));
    assertThat(update.getJsonObject("changes").getJsonObject("attributes.owner")).isEqualTo(change(null, "night shift"));
  }

  @Test
  @DisplayName("a device is renamed and moved to another place in its page; its keys, left empty, stay as they were and are never shown")
  void deviceMovedKeysKept() throws Exception {
    var token = world.adminToken();
    place("shed", "default", "building", "Shed");
    place("shed-a", "shed", "room", "Room A");
    place("shed-b", "shed", "room", "Room B");
    var appSKey = "5a5b5c5d5e5f50515253545556575859";
    var nwkSKey = "6a6b6c6d6e6f60616263646566676869";
    var devEui = "70b3d57ed0000b01";
    ok(world.client.post(token, "/api/v1/devices", new JsonObject().put("devEui", devEui).put("name", "Shed probe").put("nodeId", "shed-a")
        .put("type", "lpp-fridge-probe").put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "26011b01")
            .put("appSKey", appSKey).put("nwkSKey", nwkSKey))));
    var page = admin().open("devices/" + devEui);
    assertThat(browser.find(By.id("device-appskey")).getAttribute("value")).isEmpty();
    assertThat(browser.find(By.id("device-nwkskey")).getAttribute("type")).isEqualTo("password");
    page.type("device-name", "Shed probe B").choose("device-node", "shed-b").click("save");
    assertThat(page.text("done")).isEqualTo("Device saved.");
    assertThat(browser.driver.getPageSource()).doesNotContain(appSKey).doesNotContain(nwkSKey);
    browser.screenshot("admin-device-moved");
    var device = get("/api/v1/devices/" + devEui);
    assertThat(device.getString("nodeId")).isEqualTo("shed-b");
    assertThat(device.getString("name")).isEqualTo("Shed probe B");
    assertThat(device.getJsonObject("activation").getString("devAddr")).isEqualTo("26011b01");
    // the trail says it moved and was renamed; the keys changed only when the device was created
    var entries = audited("kind=device&nodeId=shed", "move", devEui);
    assertThat(entries).filteredOn(e -> e.getString("action").equals("move")).singleElement()
        .satisfies(e -> assertThat(e.getJsonObject("changes").getJsonObject("nodeId")).isEqualTo(change("shed-a", "shed-b")));
    assertThat(entries).filteredOn(e -> e.getJsonObject("changes", new JsonObject()).containsKey("activation.appSKey"))
        .extracting(e -> e.getString("action")).containsExactly("create");
    assertThat(new JsonArray(entries).encode()).doesNotContain(appSKey).doesNotContain(nwkSKey);
  }

  @Test
  @DisplayName("devices imported from a JSON file are listed twenty a page, searched by DevEUI and filtered by place, type and status")
  void devicesSearchedFilteredPaged() throws Exception {
    place("store", "default", "building", "Store");
    var rows = new JsonArray();
    for (int i = 1; i <= 25; i++) {
      rows.add(new JsonObject().put("devEui", String.format("70b3d57ed0000c%02x", i)).put("name", String.format("Shelf %02d", i))
          .put("nodeId", "store").put("type", i == 7 ? "js-probe" : "lpp-fridge-probe").put("mode", "network-decrypted"));
    }
    var json = Files.createTempFile("devices", ".json");
    Files.writeString(json, rows.encodePrettily());
    // imported from a JSON file in the page
    var page = admin().open("devices");
    page.upload(json.toAbsolutePath().toString());
    assertThat(page.text("import-summary")).isEqualTo("25 created, 0 updated, 0 unchanged, 0 refused.");
    page.choose("device-filter-place", "store");
    browser.until(d -> page.text("page").equals("Page 1 of 2 (25 devices)"));
    assertThat(browser.texts("table.devices tbody tr")).hasSize(20);
    browser.find(By.xpath("//nav[contains(@class,'pager')]//button[normalize-space()='Next']")).click();
    browser.until(d -> page.text("page").equals("Page 2 of 2 (25 devices)"));
    assertThat(browser.texts("table.devices tbody tr td:first-child")).containsExactly("Shelf 21", "Shelf 22", "Shelf 23", "Shelf 24", "Shelf 25");

    page.choose("device-filter-type", "js-probe");
    browser.until(d -> browser.texts("table.devices tbody tr td:first-child").equals(List.of("Shelf 07")));
    page.choose("device-filter-type", "").type("device-search", "70B3D57ED0000C13");  // any case
    browser.until(d -> browser.texts("table.devices tbody tr td:first-child").equals(List.of("Shelf 19")));
    browser.screenshot("admin-devices-search");

    // the fleet's probes were heard at the start (ok); the imported ones never (silent)
    page.empty("device-search").choose("device-filter-place", "").choose("device-filter-status", "ok");
    var heard = world.fleet.probes().stream().map(p -> p.devEui()).toList();
    browser.until(d -> !browser.texts("table.devices tbody tr").isEmpty());
    assertThat(browser.all(By.cssSelector("table.devices tbody tr")).stream().map(r -> r.getAttribute("data-dev-eui")))
        .containsAll(heard).noneMatch(eui -> eui.startsWith("70b3d57ed0000c"));
    page.choose("device-filter-status", "silent").choose("device-filter-place", "store");
    browser.until(d -> page.text("page").equals("Page 1 of 2 (25 devices)"));
  }

  @Test
  @DisplayName("a JavaScript codec whose example fails is not activated, the failing example is listed; once it passes, the type is saved; a Cayenne LPP type is tried in place too")
  void examplesRunBeforeActivation() throws Exception {
    var page = admin().open("types/new").type("type-id", "strict-probe").type("type-name", "Strict probe");
    // the new type's script is the sample codec, which reads 0167002a as 4.2 °C; the example expects 9.9
    page.type("type-examples", "[{\"input\":{\"fPort\":1,\"bytes\":[1,103,0,42]},\"output\":{\"data\":{\"temperature\":9.9}}}]");
    page.click("save-type");
    assertThat(page.text("error")).contains("not activated");
    assertThat(browser.texts("[data-test=verdicts] li")).singleElement().asString().startsWith("Example 1: failed")
        .contains("expected {\"data\":{\"temperature\":9.9}}, got {\"data\":{\"temperature\":4.2}}");
    browser.script("arguments[0].scrollIntoView({block: 'center'});", browser.find(By.cssSelector("[data-test=verdicts]")));
    browser.screenshot("admin-codec-examples-failed");
    var token = world.adminToken();
    assertThat(join(world.client.http.get("/api/v1/device-types/strict-probe").bearerTokenAuthentication(token).send()).statusCode())
        .isEqualTo(404);

    page.type("type-examples", "[{\"input\":{\"fPort\":1,\"bytes\":[1,103,0,42]},\"output\":{\"data\":{\"temperature\":4.2}}}]");
    page.click("save-type");
    assertThat(page.text("done")).isEqualTo("Strict probe saved and active.");
    var type = get("/api/v1/device-types/strict-probe");
    assertThat(type.getJsonObject("codec").getJsonArray("examples")).hasSize(1);

    // a Cayenne LPP type is tried in place the same way: its raw output next to the standard measurements
    page.open("types/lpp-fridge-probe").type("try-payload", "0167002a").click("try");
    browser.until(d -> browser.texts("[data-test=measurements] tbody td").contains("4.2"));
    assertThat(browser.texts("[data-test=measurements] tbody td")).containsSequence("temperature", "4.2");
    assertThat(page.text("raw")).contains("4.2");
    browser.screenshot("admin-codec-lpp");
  }

  @Test
  @DisplayName("at phone width the menu is folded behind one button, the page starts below the header, and a link folds it again")
  void phoneMenuFolds() throws Exception {
    var page = admin().open("hierarchy/default");
    assertThat(browser.texts("main h1 small")).containsExactly("tenant");
    try {
      browser.driver.manage().window().setSize(Browser.PHONE);
      browser.until(d -> !d.findElement(By.cssSelector("nav.menu")).isDisplayed());
      WebElement toggle = browser.find(By.cssSelector("[data-test=menu-toggle]"));
      assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
      // the header is two lines at most (brand and menu button; language, notifications, log out): the title comes within 200 px
      assertThat(browser.find(By.cssSelector("main h1")).getRect().getY()).isLessThan(200);
      toggle.click();
      browser.until(d -> d.findElement(By.cssSelector("nav.menu")).isDisplayed());
      assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
      browser.screenshot("menu-open");
      browser.driver.manage().window().setSize(Browser.PHONE);
      browser.find(By.cssSelector("nav.menu a[href='#/admin/devices']")).click();
      browser.until(d -> d.getCurrentUrl().endsWith("#/admin/devices") && !d.findElement(By.cssSelector("nav.menu")).isDisplayed());
    } finally {
      browser.driver.manage().window().setSize(Browser.DESKTOP);
    }
    // at desktop width there is no menu button: the links are all there
    assertThat(browser.find(By.cssSelector("[data-test=menu-toggle]")).isDisplayed()).isFalse();
    assertThat(browser.find(By.cssSelector("nav.menu a[href='#/admin/types']")).isDisplayed()).isTrue();
  }

  @Test
  @DisplayName("a viewer is offered no editing control on the administration pages, nor the frame debugger")
  void viewerOnlyReads() throws Exception {
    new LoginPage(browser).login(VIEWER, VIEWER_PASSWORD);
    var page = new AdminPage(browser);
    assertThat(browser.texts("nav.menu a")).contains("Hierarchy", "Devices", "Device types").doesNotContain("Frame debugger");
    var device = world.fleet.probes().get(0).devEui();
    for (var route : new String[] {"hierarchy/default", "devices", "devices/" + device, "types", "types/lpp-fridge-probe", "types/js-probe"}) {
      page.open(route);
      browser.until(d -> d.findElements(By.cssSelector("main [data-state=loading]")).isEmpty());
      assertThat(page.editingControls()).as(route).isEmpty();
    }
    browser.screenshot("admin-viewer-type");
  }

  @Test
  @DisplayName("the frame debugger shows every field of a test vector's frame and its valid MIC, and keeps no key")
  void frameDebugger() throws Exception {
    var vector = new JsonObject(Files.readString(VECTORS)).getJsonArray("vectors").getJsonObject(0);
    assertThat(vector.getBoolean("micValid")).isTrue();
    var page = admin().open("frames");
    page.type("frame-phy", vector.getString("phyPayloadHex")).type("frame-nwk", vector.getString("nwkSKeyHex"))
        .type("frame-app", vector.getString("appSKeyHex")).click("decode");
    browser.until(d -> !browser.texts("[data-test=mic] .badge").isEmpty());
    assertThat(browser.texts("[data-test=mic] .badge")).containsExactly("MIC valid");
    assertThat(browser.texts("[data-test=fields] dd")).contains(vector.getString("devAddr"), String.valueOf(vector.getLong("fCnt")),
        vector.getString("frmPayloadPlainHex"));
    assertThat((String) browser.script("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage);"))
        .doesNotContain(vector.getString("nwkSKeyHex")).doesNotContain(vector.getString("appSKeyHex"));
    browser.screenshot("admin-frame");
  }
}
