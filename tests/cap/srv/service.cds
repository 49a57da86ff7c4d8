using nursery from '../db/schema';

service NurseryService {
  // Server-driven paging: three greenhouses a page, two beds a page below a greenhouse.
  @cds.query.limit: { default: 3, max: 5 }
  entity Greenhouses as projection on nursery.Greenhouses actions {
    // Sets the humidity and returns the greenhouse as stored.
    action water(humidity : Integer) returns Greenhouses;
    // How many beds the greenhouse has.
    function bedCount() returns Integer;
  };

  @cds.query.limit: { default: 2, max: 5 }
  entity Beds as projection on nursery.Beds;

  entity Keepers as projection on nursery.Keepers;

  @readonly
  entity Plants as projection on nursery.Plants;

  entity Deliveries as projection on nursery.Deliveries;

  @insertonly
  entity Notes as projection on nursery.Notes;

  // Clears every bed's soil; returns how many beds it cleared.
  action clearSoil() returns Integer;
  // How many greenhouses have this climate.
  function countByClimate(climate : nursery.Climate) returns Integer;
}
