/**
 * Components as Apache Spark functions: {@link io.github.wasmtimejvm.spark.ComponentUdf} runs a
 * component's export as a SQL UDF row by row, or over a partition's rows in batches.
 */
package io.github.wasmtimejvm.spark;
