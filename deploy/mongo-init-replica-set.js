// Run by the `mongo-init` service of docker-compose.yml on every `docker compose up`:
// initiates the replica set rs0 the first time (later runs find it initiated and leave it
// alone), then waits until a primary is elected, so the Budbringer nodes that wait for this
// service never meet a replica set without a primary.
const config = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

try {
  rs.status();
  print('rs0 is already initiated');
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate(config);
  print('rs0 initiated');
}

for (let second = 0; second < 120; second++) {
  try {
    if (rs.status().members.some((m) => m.stateStr === 'PRIMARY')) {
      print('rs0 has a primary');
      quit(0);
    }
  } catch (error) {
    // Right after rs.initiate the member may briefly refuse status; ask again.
  }
  sleep(1000);
}
print('rs0 elected no primary within 120 s');
quit(1);
