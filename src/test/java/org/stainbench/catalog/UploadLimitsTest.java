package org.stainbench.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;

/**
 * Issue 15, item 15 (archives) and item 13 (no SQL in API 500s), against a real server: an archive upload over
 * {@code stainbench.catalog.max-upload-bytes} is refused with 413 by its declared length before it is read (raw or
 * multipart), while it streams in (raw body without a length) and on the dataset page, and leaves nothing behind.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stainbench.catalog.max-upload-bytes=64KB")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadLimitsTest {

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogFiles files;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    String token;
    long dataset;
    final byte[] big = new byte[1024 * 1024];

    @BeforeAll
    void setUp() {
        accounts.createAccount("upl-member", Role.MEMBER, "Granite-Willow-6312");
        token = accounts.issueApiToken("upl-script", "upl-member");
        dataset = catalog.createDataset("Upload limits", Stain.HE, null, "test", 128, null, "upl-member");
        new Random(15).nextBytes(big);
    }

    private void nothingKept() {
        assertThat(jdbc.sql("select count(*) from archive where dataset_id = ?")
                        .param(dataset)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(CatalogFixtures.filesUnder(files.root().resolve("incoming"))).isEmpty();
        assertThat(CatalogFixtures.filesUnder(files.uploads())).isEmpty();
    }

    @Test
    void aStreamedArchiveOverTheLimitIs413AsItArrives() throws Exception {
        // no Content-Length: the server can only count while it reads
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/datasets/" + dataset + "/archives?fileName=big.npz"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(response.body()).contains("stainbench.catalog.max-upload-bytes", "65536");
        nothingKept();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/datasets/" + dataset + "/archives?fileName=big.npz"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("stainbench.catalog.max-upload-bytes");
        nothingKept();
    }

    @Test
    void aMultipartArchiveOverTheLimitIs413() throws Exception {
        String boundary = "----sb" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.npz\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + big.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(big, 0, body, head.length, big.length);
        System.arraycopy(tail, 0, body, head.length + big.length, tail.length);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/datasets/" + dataset + "/archives"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("stainbench.catalog.max-upload-bytes");
        nothingKept();
    }

    @Test
    void theDatasetPageSaysTheLimit() throws Exception {
        mvc.perform(multipart("/datasets/" + dataset + "/archives")
                        .file(new MockMultipartFile("file", "big.npz", "application/octet-stream", big))
                        .with(csrf())
                        .with(user("upl-member").roles("MEMBER", "SUPERVISOR")))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", Matchers.containsString("stainbench.catalog.max-upload-bytes")));
        nothingKept();
    }

    /** Item 13: an API 500 (here a forced database error) says nothing of SQL. */
    @Test
    void anApi500HasAGenericBody() throws Exception {
        jdbc.sql("alter table dataset add constraint upl_no_boom check (name <> 'boom')")
                .update();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/datasets"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\": \"boom\", \"stain\": \"HE\", \"cohort\": \"c\", \"tileSize\": 128}"))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body().toLowerCase())
                    .contains("internal server error")
                    .doesNotContain("sql", "insert", "upl_no_boom", "constraint", "dataset (", "exception");
        } finally {
            jdbc.sql("alter table dataset drop constraint upl_no_boom").update();
        }
    }
}
