var siteInfo = {"projectName":"/EpointWebBuilder","siteGuid":"7eb5f7f1-9041-43ad-8e13-8fcb82ea831a","ip":"10.1.1.1","port":"8080"};
function getQueryString(name) { return null; }
