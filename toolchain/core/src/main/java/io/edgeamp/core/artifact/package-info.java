/**
 * The quantized-model artifact: {@link io.edgeamp.core.artifact.ArtifactWriter#write} and
 * {@link io.edgeamp.core.artifact.ArtifactReader#read}; schema in {@link io.edgeamp.core.artifact.Artifact}.
 */
package io.edgeamp.core.artifact;
