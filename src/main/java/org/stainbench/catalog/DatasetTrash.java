package org.stainbench.catalog;

import java.util.List;
import org.springframework.stereotype.Component;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Trash;

/** Deleted datasets for the admin page {@code /admin/deleted}. */
@Component
class DatasetTrash implements Trash {

    private final Catalog catalog;

    DatasetTrash(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String kind() {
        return Dependants.DATASET;
    }

    @Override
    public List<Deleted> deleted() {
        return catalog.deletedDatasets().stream()
                .map(d -> new Deleted(kind(), d.id(), d.name(), d.href(), d.deletedBy(), d.deletedAt()))
                .toList();
    }

    @Override
    public void restore(long id, String by) {
        catalog.restoreDataset(id, by);
    }
}
