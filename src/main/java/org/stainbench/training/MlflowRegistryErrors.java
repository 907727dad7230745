package org.stainbench.training;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * {@link MlflowErrors}' handling (MLflow's {@code {"error_code", "message"}}, never a stack trace or SQL) for the model
 * registry's controller, kept apart so that the registry adds no line to the tracking API's advice.
 */
@RestControllerAdvice(assignableTypes = MlflowRegistry.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowRegistryErrors extends MlflowErrors {}
