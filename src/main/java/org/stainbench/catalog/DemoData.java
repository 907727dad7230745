package org.stainbench.catalog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.tiles.SyntheticTiles;

/**
 * A small demo project built from the synthetic tile generator: an H&amp;E dataset (4 patients, one with two
 * replicates) and a CK7 dataset (3 patients), 512 px tiles, some blurred or mostly white. Loaded on start
 * with {@code --stainbench.demo=true} when there are no datasets yet, or with the button on the empty
 * dataset list. The archives go through the normal upload and ingest path.
 */
@Component
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String HE_NAME = "Demo H&E (synthetic)";
    static final String CK7_NAME = "Demo CK7 (synthetic)";

    private final Catalog catalog;
    private final CatalogStore store;
    private final boolean onStart;

    DemoData(Catalog catalog, CatalogStore store, @Value("${stainbench.demo:false}") boolean onStart) {
        this.catalog = catalog;
        this.store = store;
        this.onStart = onStart;
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadOnStart() {
        if (onStart && store.countDatasets() == 0) {
            int n = load("demo");
            log.info("Demo project loaded: 2 datasets, {} archives queued for ingest", n);
        }
    }

    /** Creates the two datasets and uploads their archives; returns the number of archives. */
    int load(String by) {
        if (store.datasetNameTaken(HE_NAME) || store.datasetNameTaken(CK7_NAME)) {
            throw new IllegalArgumentException("The demo project is already loaded.");
        }
        long he = catalog.createDataset(HE_NAME, Stain.HE, null, "synthetic", 512,
                "Procedurally drawn H&E-like tiles (hematoxylin nuclei, eosin stroma, white background); "
                        + "about 15 % blurred and 15 % mostly white so the lab's filter rejects some.", by);
        long ck7 = catalog.createDataset(CK7_NAME, Stain.IHC, "CK7", "synthetic", 512,
                "Procedurally drawn CK7-IHC-like tiles (hematoxylin counterstain, brown DAB cytoplasm in some cells).", by);
        int n = 0;
        String[][] heArchives = {{"he_1811474_1", "11"}, {"he_1811474_2", "12"}, {"he_2093311_1", "13"},
                {"he_2400917_1", "14"}, {"he_2517730_1", "15"}};
        for (String[] a : heArchives) {
            upload(he, a[0], SyntheticTiles.Stain.HE, Long.parseLong(a[1]), by);
            n++;
        }
        String[][] ck7Archives = {{"ihc_24009747_1", "21"}, {"ihc_24011502_1", "22"}, {"ihc_24013320_1", "23"}};
        for (String[] a : ck7Archives) {
            upload(ck7, a[0], SyntheticTiles.Stain.CK7, Long.parseLong(a[1]), by);
            n++;
        }
        return n;
    }

    private void upload(long datasetId, String name, SyntheticTiles.Stain stain, long seed, String by) {
        try {
            Path tmp = Files.createTempFile("demo-", ".npz");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                    SyntheticTiles.writeLabArchive(out, stain, 12, 512, seed, 0.15, 0.15, true);
                }
                try (InputStream in = Files.newInputStream(tmp)) {
                    catalog.registerUpload(datasetId, name + ".npz", in, by);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
