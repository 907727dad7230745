package org.stainbench.catalog;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stainbench.tiles.NpzWriter;
import org.stainbench.tiles.RgbTile;
import org.stainbench.tiles.SyntheticTiles;

/**
 * A small demo project built from the synthetic tile generator: an H&amp;E dataset (4 patients, one with two
 * replicates) and a CK7 dataset (3 patients), 512 px tiles, some blurred or mostly white; alongside them, two small
 * datasets of real tissue ({@link #REAL_HE_NAME}, {@link #REAL_IHC_NAME}): 256 px tiles cut from openly licensed
 * H&amp;E and IHC images shipped in {@code src/main/resources/demo/real/} (licences and provenance in its
 * PROVENANCE.md). Loaded on start with {@code --stainbench.demo=true} when there are no datasets yet, or with the
 * button on the empty dataset list. The archives go through the normal upload and ingest path.
 */
@Component
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String HE_NAME = DemoDatasets.HE;
    static final String CK7_NAME = DemoDatasets.CK7;
    static final String REAL_HE_NAME = DemoDatasets.REAL_HE;
    static final String REAL_IHC_NAME = DemoDatasets.REAL_IHC;
    /** Tile size of the real-tissue datasets: the central 512 × 512 pixels of each image give 2 × 2 tiles. */
    static final int REAL_TILE = 256;

    static final int REAL_TILES_PER_IMAGE = 4;
    /** Archive name (stain_patient_replicate) → image under {@code /demo/real/}; one image per patient. */
    static final String[][] REAL_HE = {
        {"he_900001_1", "he_histolab_1.png"},
        {"he_900002_1", "he_histolab_2.png"},
        {"he_900003_1", "pair_birl_2_he.jpg"}
    };

    static final String[][] REAL_IHC = {
        {"ihc_900003_1", "pair_birl_2_ihc.jpg"},
        {"ihc_900004_1", "ihc_skimage.png"},
        {"ihc_900005_1", "pair_histlandmarks_1_ihc.jpg"}
    };

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
            Loaded n = load("demo");
            log.info(
                    "Demo project loaded: 4 datasets, {} synthetic and {} real-tissue archives queued for ingest",
                    n.synthetic(),
                    n.real());
        }
    }

    /** How many archives the demo uploaded: of synthetic tiles, and of real tissue. */
    record Loaded(int synthetic, int real) {}

    /** Creates the demo datasets and uploads their archives. */
    Loaded load(String by) {
        if (store.datasetNameTaken(HE_NAME) || store.datasetNameTaken(CK7_NAME)) {
            throw new IllegalArgumentException("The demo project is already loaded.");
        }
        long he = catalog.createDataset(
                HE_NAME,
                Stain.HE,
                null,
                "synthetic",
                512,
                "Procedurally drawn H&E-like tiles (hematoxylin nuclei, eosin stroma, white background); "
                        + "about 15 % blurred and 15 % mostly white so the lab's filter rejects some.",
                by);
        long ck7 = catalog.createDataset(
                CK7_NAME,
                Stain.IHC,
                "CK7",
                "synthetic",
                512,
                "Procedurally drawn CK7-IHC-like tiles (hematoxylin counterstain, brown DAB cytoplasm in some cells).",
                by);
        int n = 0;
        String[][] heArchives = {
            {"he_1811474_1", "11"},
            {"he_1811474_2", "12"},
            {"he_2093311_1", "13"},
            {"he_2400917_1", "14"},
            {"he_2517730_1", "15"}
        };
        for (String[] a : heArchives) {
            upload(he, a[0], SyntheticTiles.Stain.HE, Long.parseLong(a[1]), by);
            n++;
        }
        String[][] ck7Archives = {{"ihc_24009747_1", "21"}, {"ihc_24011502_1", "22"}, {"ihc_24013320_1", "23"}};
        for (String[] a : ck7Archives) {
            upload(ck7, a[0], SyntheticTiles.Stain.CK7, Long.parseLong(a[1]), by);
            n++;
        }
        int synthetic = n;
        if (!store.datasetNameTaken(REAL_HE_NAME) && !store.datasetNameTaken(REAL_IHC_NAME)) {
            long realHe = catalog.createDataset(
                    REAL_HE_NAME,
                    Stain.HE,
                    null,
                    "real tissue (demo)",
                    REAL_TILE,
                    "Real H&E: 256 px tiles from openly licensed images (histolab's TCGA lung and tissue tiles, Apache-2.0; "
                            + "a rat kidney section of the CIMA/ANHIR set from the BSD-3-Clause BIRL repository). Provenance: "
                            + "demo/real/PROVENANCE.md in the source.",
                    by);
            long realIhc = catalog.createDataset(
                    REAL_IHC_NAME,
                    Stain.IHC,
                    "mixed",
                    "real tissue (demo)",
                    REAL_TILE,
                    "Real IHC (DAB + hematoxylin), mixed markers: pan-cytokeratin on the same rat kidney block as "
                            + "patient 900003's H&E, FHL2 in colonic glands (scikit-image), Ki67 in a lung lesion (CIMA via "
                            + "dataset-histology-landmarks); from BSD-3-Clause repositories. Provenance: demo/real/PROVENANCE.md in the source.",
                    by);
            for (String[] a : REAL_HE) {
                uploadReal(realHe, a[0], a[1], by);
                n++;
            }
            for (String[] a : REAL_IHC) {
                uploadReal(realIhc, a[0], a[1], by);
                n++;
            }
        }
        return new Loaded(synthetic, n - synthetic);
    }

    /** The central 512 × 512 pixels of a shipped image as 2 × 2 tiles of 256 px, row by row (alpha dropped). */
    static List<RgbTile> realTiles(String image) {
        BufferedImage im;
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/real/" + image)) {
            if (in == null) {
                throw new IllegalStateException("Demo image /demo/real/" + image + " is missing.");
            }
            im = ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int side = 2 * REAL_TILE;
        int x0 = (im.getWidth() - side) / 2;
        int y0 = (im.getHeight() - side) / 2;
        List<RgbTile> out = new ArrayList<>();
        for (int ty = 0; ty < 2; ty++) {
            for (int tx = 0; tx < 2; tx++) {
                byte[] rgb = new byte[REAL_TILE * REAL_TILE * 3];
                int i = 0;
                for (int y = 0; y < REAL_TILE; y++) {
                    for (int x = 0; x < REAL_TILE; x++) {
                        int p = im.getRGB(x0 + tx * REAL_TILE + x, y0 + ty * REAL_TILE + y);
                        rgb[i++] = (byte) (p >> 16);
                        rgb[i++] = (byte) (p >> 8);
                        rgb[i++] = (byte) p;
                    }
                }
                out.add(new RgbTile(REAL_TILE, REAL_TILE, rgb));
            }
        }
        return out;
    }

    private void uploadReal(long datasetId, String name, String image, String by) {
        List<RgbTile> tiles = realTiles(image);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            NpzWriter.writeLab(buf, tiles.size(), tiles::get, i -> 1, true);
            catalog.registerUpload(datasetId, name + ".npz", new ByteArrayInputStream(buf.toByteArray()), by);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
