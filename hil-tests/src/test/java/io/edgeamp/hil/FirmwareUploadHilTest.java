package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The firmware upload takes the body as bytes whatever its content type: {@code curl --data-binary @fw.elf}
 * sends application/x-www-form-urlencoded unless told otherwise, and got {@code [HTTP 400] {"error":null}}.
 */
class FirmwareUploadHilTest {
  @Test
  void anElfSentAsAFormIsStoredAndErrorsSayWhy() throws Exception {
    Path elf = TestSupport.firmware();
    HilConfig cfg = new HilConfig().workDir(TestSupport.freshDir("upload"));
    cfg.maxUploadBytes = 1 << 20;
    try (HilServer s = new HilServer(cfg).start()) {
      HilClient api = new HilClient(s.baseUrl(), s.token());
      String id = api.uploadFirmware(elf);
      byte[] bytes = Files.readAllBytes(elf);
      // curl --data-binary @fw.elf: curl's default content type
      HilClient.Reply form = api.send("POST", "/api/v1/firmware", bytes, "application/x-www-form-urlencoded");
      assertEquals(201, form.status, form.body);
      assertEquals(id, form.json().getString("id"));
      HilClient.Reply multipart = api.send("POST", "/api/v1/firmware", bytes, "multipart/form-data; boundary=x");
      assertEquals(201, multipart.status, multipart.body);
      assertEquals(id, multipart.json().getString("id"));
      HilClient.Reply none = api.send("POST", "/api/v1/firmware", bytes, null);
      assertEquals(201, none.status, none.body);

      HilClient.Reply text = api.send("POST", "/api/v1/firmware", "name=value&x=1".getBytes(), "application/x-www-form-urlencoded");
      assertEquals(400, text.status, text.body);
      assertEquals("firmware is not an ELF file", text.json().getString("error"), text.body);
      HilClient.Reply big = api.send("POST", "/api/v1/firmware", new byte[(1 << 20) + 1], "application/octet-stream");
      assertEquals(413, big.status, big.body);
      assertTrue(big.json().getString("error").contains("larger than"), big.body);
      // streamed without a Content-Length (chunked): the limit holds while reading
      HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/v1/firmware"))
          .header("Authorization", "Bearer " + s.token())
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[(1 << 20) + 1]))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, chunked.statusCode(), chunked.body());
      // the server still answers on a new connection
      assertEquals(201, api.send("POST", "/api/v1/firmware", bytes, "application/octet-stream").status);
    }
  }
}
