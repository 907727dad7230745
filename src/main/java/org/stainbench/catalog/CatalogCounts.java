package org.stainbench.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stainbench.shell.InventoryCount;

/** Home page counts: datasets, ingested archives, indexed tiles. */
@Configuration(proxyBeanMethods = false)
class CatalogCounts {

    @Bean
    InventoryCount datasetCount(CatalogStore store) {
        return InventoryCount.of("real datasets", () -> store.countDatasets(DatasetKind.REAL), "/datasets", 10);
    }

    @Bean
    InventoryCount generatedSetCount(CatalogStore store) {
        return InventoryCount.of(
                "generated sets", () -> store.countDatasets(DatasetKind.GENERATED), "/datasets#generated-sets", 13);
    }

    @Bean
    InventoryCount archiveCount(CatalogStore store) {
        return InventoryCount.of("archives", store::countReadyArchives, "/datasets", 11);
    }

    @Bean
    InventoryCount tileCount(CatalogStore store) {
        return InventoryCount.of("tiles", store::countAllTiles, "/datasets", 12);
    }
}
