/* govgraph query UI: YASGUI on this server's /sparql, one tab per catalogue query.
 *
 * The page hands its settings over as JSON (#govgraph-ui): the endpoint's absolute URL, the
 * catalogue (name, title and description in the page's language, text) and the query to open.
 * Option names checked against @zazuko/yasgui 4.6.2 (build/ts/src/index.d.ts, yasgui.esm.js).
 */
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("govgraph-ui").textContent);
  var root = document.getElementById("yasgui");
  var Yasgui = window.Yasgui;
  if (!root || typeof Yasgui !== "function") {
    return;
  }
  var byName = {};
  settings.queries.forEach(function (query) {
    byName[query.name] = query;
  });

  // Yasqe's "property" and "class" autocompleters fetch terms from lov.linkeddata.es. Keep the
  // two that work offline; set on the defaults, because Yasqe merges its config into them with
  // lodash's merge, which would keep the extra entries of the default list.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];

  var local = [{ endpoint: settings.endpoint }];
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: settings.endpoint, method: "POST" },
    // The default catalogue offers DBpedia and Wikidata: offer this server only.
    endpointCatalogueOptions: {
      getData: function () {
        return local;
      },
      keys: [],
      renderItem: function (item, element) {
        var label = document.createElement("span");
        label.textContent = item.value.endpoint;
        element.appendChild(label);
      },
    },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    autoAddOnInit: false,
    tabName: settings.messages.new_tab,
    // A shared link (#query=...&endpoint=...) opens as a tab, on this server's endpoint.
    populateFromUrl: function (tab) {
      tab.requestConfig.endpoint = settings.endpoint;
      return tab;
    },
  });

  var fromLink = yasgui.persistentConfig.getTabs().length > 0;
  settings.queries.forEach(function (query) {
    var tab = Yasgui.Tab.getDefaults(yasgui);
    tab.id = query.name;
    tab.name = query.title;
    tab.yasqe = { value: query.text };
    tab.requestConfig = { endpoint: settings.endpoint };
    yasgui.addTab(!fromLink && query.name === settings.open, tab);
  });

  var title = document.getElementById("query-title");
  var description = document.getElementById("query-description");
  var picker = document.getElementById("query-picker");

  function describe(tabId) {
    var query = byName[tabId];
    title.textContent = query ? query.title : settings.messages.own_query_title;
    description.textContent = query ? query.description : settings.messages.own_query;
    if (picker) {
      picker.value = query ? query.name : "";
    }
    // The language links reopen the same query.
    document.querySelectorAll("a[data-lang]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (query) {
        url.searchParams.set("open", query.name);
      } else {
        url.searchParams.delete("open");
      }
      link.href = url.pathname + url.search;
    });
    // Long titles are cut in the tab bar: the full title shows on hover.
    document.querySelectorAll(".yasgui .tabsList .tab > a").forEach(function (link) {
      var name = link.querySelector("span");
      if (name && !link.title) {
        link.title = name.textContent;
      }
    });
  }

  yasgui.on("tabSelect", function (_yasgui, tabId) {
    describe(tabId);
  });
  yasgui.on("tabAdd", function () {
    window.setTimeout(function () {
      describe(yasgui.persistentConfig.getActiveId());
    }, 0);
  });
  if (picker) {
    picker.addEventListener("change", function () {
      if (byName[picker.value] && yasgui.getTab(picker.value)) {
        yasgui.selectTabId(picker.value);
      }
    });
  }
  describe(yasgui.persistentConfig.getActiveId());
})();
