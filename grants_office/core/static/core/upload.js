/* A new document version straight from the browser to storage, with a progress bar.

   1. POST /api/v1/documents/{id}/uploads/ {filename, size, content_type, sha256, note} -> a signed upload
   2. PUT the bytes to the signed URL (S3, or our own signed endpoint in embedded mode), showing progress
   3. POST /api/v1/uploads/{id}/complete/ -> the server verifies the stored file and makes the version
   4. refresh the documents section through htmx

   Every text people read comes from the server: the API's JSON messages (in their language) or the
   section's data-msg-* attributes (rendered with {% translate %}). No inline script: CSP script-src 'self'.
   Forms are found by event delegation, so a section swapped in by htmx works without re-binding.
   Each form tells what happens as events that bubble: upload:progress {value} and upload:done {version}. */
(function () {
  "use strict";
  if (window.officeUploads) return; // loaded once per page, whatever includes it
  window.officeUploads = true;

  function section(form) {
    return form.closest("#documents");
  }

  function message(form, name) {
    var holder = section(form);
    return (holder && holder.getAttribute("data-msg-" + name)) || name;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showErrors(form, lines) {
    var box = form.querySelector(".upload__errors");
    var input = form.querySelector("input[type=file]");
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    box.replaceChildren(list);
    if (input) input.setAttribute("aria-invalid", "true");
  }

  function clearErrors(form) {
    form.querySelector(".upload__errors").replaceChildren();
    var input = form.querySelector("input[type=file]");
    if (input) input.removeAttribute("aria-invalid");
  }

  /* The API's error body: {"detail", "fields": {name: [messages]}} (400) or {"detail", "reasons": [...]} (409). */
  function apiErrors(form, xhr) {
    var body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch (ignored) {
      body = null;
    }
    if (!body || typeof body !== "object") return [message(form, "failed")];
    var lines = [];
    if (body.fields) {
      Object.keys(body.fields).forEach(function (name) {
        [].concat(body.fields[name]).forEach(function (text) {
          lines.push(String(text));
        });
      });
    }
    if (body.reasons && body.reasons.length) {
      body.reasons.forEach(function (reason) {
        lines.push(String(reason.message));
      });
    }
    if (!lines.length && body.detail) lines.push(String(body.detail));
    return lines.length ? lines : [message(form, "failed")];
  }

  function percentText(value) {
    var lang = document.documentElement.lang || undefined;
    try {
      return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(value / 100);
    } catch (ignored) {
      return value + " %";
    }
  }

  function setStatus(form, text) {
    form.querySelector(".upload__status").textContent = text;
  }

  function setProgress(form, value) {
    var bar = form.querySelector("progress");
    bar.value = value;
    // The live region speaks in steps of ten, so screen readers are told without being flooded.
    var step = value === 100 ? 100 : Math.floor(value / 10) * 10;
    if (form.dataset.lastStep !== String(step)) {
      form.dataset.lastStep = String(step);
      setStatus(form, message(form, "uploading") + ": " + percentText(step));
    }
    form.dispatchEvent(new CustomEvent("upload:progress", { bubbles: true, detail: { value: value } }));
  }

  function contentType(form, file) {
    var types = {};
    try {
      types = JSON.parse(section(form).getAttribute("data-types") || "{}");
    } catch (ignored) {
      types = {};
    }
    var dot = file.name.lastIndexOf(".");
    var extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    return types[extension] || file.type || "application/octet-stream";
  }

  /* The SHA-256 of the whole file. Web Crypto has no streaming digest, so this reads the whole file into
     memory at once: acceptable up to the upload limit (50 MB by default), not for much larger files. */
  function sha256(file) {
    return file.arrayBuffer().then(function (buffer) {
      return window.crypto.subtle.digest("SHA-256", buffer);
    }).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (byte) {
        return byte.toString(16).padStart(2, "0");
      }).join("");
    });
  }

  function request(method, url, headers, body, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      Object.keys(headers).forEach(function (name) {
        xhr.setRequestHeader(name, headers[name]);
      });
      if (onProgress) {
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable && event.total) onProgress(Math.round((event.loaded / event.total) * 100));
        });
      }
      xhr.addEventListener("load", function () { resolve(xhr); });
      xhr.addEventListener("error", function () { resolve(xhr); });
      xhr.addEventListener("abort", function () { resolve(xhr); });
      xhr.send(body);
    });
  }

  function api(form, url, payload) {
    var headers = { "X-CSRFToken": csrfToken(form), Accept: "application/json" };
    if (payload !== null) headers["Content-Type"] = "application/json";
    return request("POST", url, headers, payload === null ? null : JSON.stringify(payload));
  }

  function ok(xhr) {
    return xhr.status >= 200 && xhr.status < 300;
  }

  function refresh(form, versionId) {
    var holder = section(form);
    var url = holder.getAttribute("data-section-url") + (versionId ? "?uploaded=" + encodeURIComponent(versionId) : "");
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: "#documents", swap: "outerHTML" });
    } else {
      window.location.reload();
    }
  }

  function start(form) {
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    var progress = form.querySelector(".upload__progress");
    var holder = section(form);
    var file = input.files && input.files[0];
    clearErrors(form);
    if (!file) return showErrors(form, [message(form, "choose")]);
    if (file.size === 0) return showErrors(form, [message(form, "empty")]);
    if (file.size > Number(holder.getAttribute("data-max-size"))) return showErrors(form, [message(form, "too-large")]);
    if (!window.crypto || !window.crypto.subtle) return showErrors(form, [message(form, "no-crypto")]);

    var fail = function (lines) {
      button.disabled = false;
      form.removeAttribute("aria-busy");
      progress.hidden = true;
      showErrors(form, lines);
      input.focus();
    };
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    form.dataset.lastStep = "";
    progress.hidden = false;
    form.querySelector("progress").value = 0;
    setStatus(form, message(form, "hashing"));

    var signed = null;
    sha256(file).then(function (digest) {
      return api(form, form.getAttribute("data-upload-url"), {
        filename: file.name,
        size: file.size,
        content_type: contentType(form, file),
        sha256: digest,
        note: (form.querySelector("input[name=note]") || { value: "" }).value
      });
    }).then(function (xhr) {
      if (!ok(xhr)) throw { lines: xhr.status === 0 ? [message(form, "network")] : apiErrors(form, xhr) };
      signed = JSON.parse(xhr.responseText);
      setProgress(form, 0);
      return request(signed.method || "PUT", signed.url, signed.headers || {}, file, function (value) {
        setProgress(form, Math.min(value, 99));
      });
    }).then(function (xhr) {
      if (!ok(xhr)) {
        // Our own endpoint answers JSON with the reason; S3 answers XML, so people get our sentence.
        var json = (xhr.getResponseHeader("Content-Type") || "").indexOf("json") >= 0;
        throw { lines: xhr.status === 0 ? [message(form, "storage")] : json ? apiErrors(form, xhr) : [message(form, "storage")] };
      }
      setProgress(form, 100);
      setStatus(form, message(form, "verifying"));
      var url = section(form).getAttribute("data-complete-url").replace(section(form).getAttribute("data-placeholder-id"), signed.id);
      return api(form, url, null);
    }).then(function (xhr) {
      if (!ok(xhr)) throw { lines: xhr.status === 0 ? [message(form, "network")] : apiErrors(form, xhr) };
      var version = JSON.parse(xhr.responseText);
      form.dispatchEvent(new CustomEvent("upload:done", { bubbles: true, detail: { version: version } }));
      refresh(form, version.id);
    }).catch(function (problem) {
      fail(problem && problem.lines ? problem.lines : [message(form, "failed")]);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    start(form);
  });
})();
