package org.stainbench.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page counts: datasets, ingested archives, indexed tiles. */
@Configuration(proxyBeanMethods = false)
class CatalogCounts {

    record Count(String label, java.util.function.LongSupplier supplier, String href, int order) implements InventoryCount {
        @Override
        public long count() {
            return supplier.getAsLong();
        }
    }

    @Bean
    InventoryCount datasetCount(CatalogStore store) {
        return new Count("real datasets", () -> store.countDatasets(DatasetKind.REAL), "/datasets", 10);
    }

    @Bean
    InventoryCount generatedSetCount(CatalogStore store) {
        return new Count("generated sets", () -> store.countDatasets(DatasetKind.GENERATED), "/datasets#generated-sets", 13);
    }

    @Bean
    InventoryCount archiveCount(CatalogStore store) {
        return new Count("archives", store::countReadyArchives, "/datasets", 11);
    }

    @Bean
    InventoryCount tileCount(CatalogStore store) {
        return new Count("tiles", store::countAllTiles, "/datasets", 12);
    }
}
