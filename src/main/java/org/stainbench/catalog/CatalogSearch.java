package org.stainbench.catalog;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stainbench.shell.LikePattern;
import org.stainbench.shell.SearchSource;

/**
 * The search box over the catalog: datasets (name, description, marker, cohort, or a patient among their archives)
 * and archives (file name, patient id). Hand SQL, not {@link DatasetRepository}: a LIKE over several columns and an
 * archive subquery, one statement per search.
 */
@Configuration(proxyBeanMethods = false)
class CatalogSearch {

    @Bean
    SearchSource datasetSearch(JdbcClient jdbc) {
        return new SearchSource() {
            @Override
            public String kind() {
                return "datasets";
            }

            @Override
            public List<Hit> search(String query, int limit) {
                String p = LikePattern.contains(query);
                return jdbc
                        .sql(
                                """
                        select d.* from dataset d
                        where d.deleted_at is null
                          and (lower(d.name) like ? escape '!' or lower(coalesce(d.description, '')) like ? escape '!'
                           or lower(coalesce(d.marker, '')) like ? escape '!' or lower(coalesce(d.cohort, '')) like ? escape '!'
                           or exists (select 1 from archive a where a.dataset_id = d.id and lower(a.patient) like ? escape '!'))
                        order by d.name limit ?""")
                        .params(p, p, p, p, p, limit)
                        .query(CatalogStore::dataset)
                        .list()
                        .stream()
                        .map(d -> new Hit(d.name(), detail(d, query), "/datasets/" + d.id()))
                        .toList();
            }

            private String detail(Dataset d, String query) {
                String lower = query.toLowerCase(java.util.Locale.ROOT);
                boolean own = d.name().toLowerCase(java.util.Locale.ROOT).contains(lower)
                        || (d.description() != null
                                && d.description()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .contains(lower))
                        || (d.marker() != null
                                && d.marker().toLowerCase(java.util.Locale.ROOT).contains(lower))
                        || (d.cohort() != null
                                && d.cohort().toLowerCase(java.util.Locale.ROOT).contains(lower));
                return d.stainText()
                        + (d.cohort() == null || d.cohort().isBlank() ? "" : " · cohort " + d.cohort())
                        + (own ? "" : " · holds a patient matching '" + query + "'");
            }
        };
    }

    @Bean
    SearchSource archiveSearch(JdbcClient jdbc, CatalogStore store) {
        return new SearchSource() {
            @Override
            public String kind() {
                return "archives";
            }

            @Override
            public List<Hit> search(String query, int limit) {
                String p = LikePattern.contains(query);
                List<Archive> found = jdbc.sql(
                                """
                        select a.* from archive a join dataset d on d.id = a.dataset_id
                        where d.deleted_at is null and (lower(a.file_name) like ? escape '!' or lower(a.patient) like ? escape '!')
                        order by a.file_name, a.id limit ?""")
                        .params(p, p, limit)
                        .query(CatalogStore::archive)
                        .list();
                return found.stream()
                        .map(a -> new Hit(
                                a.fileName(),
                                "patient " + (a.patient() == null ? "unknown" : a.patient()) + " · "
                                        + store.findDataset(a.datasetId())
                                                .map(Dataset::name)
                                                .orElse("dataset " + a.datasetId())
                                        + " · " + a.tilesTotal() + " tiles · "
                                        + a.status().name().toLowerCase(java.util.Locale.ROOT),
                                "/datasets/" + a.datasetId() + "/tiles?archive=" + a.id()))
                        .toList();
            }
        };
    }
}
