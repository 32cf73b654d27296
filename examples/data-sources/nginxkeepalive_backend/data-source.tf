# What does stock Tomcat 10.1 do with idle keep-alive connections, and where is that written?
data "nginxkeepalive_backend" "tomcat" {
  type    = "tomcat"
  version = "10.1.60"
}

output "tomcat_idle_timeout" {
  value = data.nginxkeepalive_backend.tomcat.idle_timeout # "20s": the shipped server.xml's connectionTimeout
}

output "tomcat_knobs" {
  value = data.nginxkeepalive_backend.tomcat.settings # what to raise in server.xml
}

output "tomcat_source" {
  value = data.nginxkeepalive_backend.tomcat.source
}

# Every known type id.
output "known_backend_types" {
  value = data.nginxkeepalive_backend.tomcat.types
}
