package org.stainbench.shell;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Model attributes every page of the layout needs. */
@ControllerAdvice(annotations = Controller.class)
class LayoutAdvice {

    private final String version;

    LayoutAdvice(ObjectProvider<BuildProperties> build) {
        BuildProperties props = build.getIfAvailable();
        this.version = props != null ? props.getVersion() : "dev";
    }

    @ModelAttribute("appVersion")
    String appVersion() {
        return version;
    }
}
