/**
 * Artifacts: where the application's bytes live (archives' raw tile files, thumbnails, uploads, checkpoint adapters,
 * extractor models, MLflow run artifacts, report images, job outputs). {@link org.stainbench.artifacts.ArtifactStore}
 * is the one abstraction: the local folder ({@code stainbench.artifacts.store=local}, the default) or an
 * S3-compatible bucket ({@code s3}: AWS S3, MinIO, Ceph RGW) through the AWS SDK for Java v2, with a bounded local disk
 * cache ({@link org.stainbench.artifacts.ArtifactCache}) for thumbnails, hot tile ranges and files a library must
 * read from a local path. A foundation module: it depends on no other module of the application but the shell's
 * {@link org.stainbench.shell.CliCommand} (for its jar command); any module may use it. The jar's
 * {@code migrate-artifacts} command ({@link org.stainbench.artifacts.MigrateArtifactsCommand}) copies a local artifact
 * folder into a bucket.
 */
@ApplicationModule(allowedDependencies = "shell")
package org.stainbench.artifacts;

import org.springframework.modulith.ApplicationModule;
